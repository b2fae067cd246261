
use builtin;
use str;

set edit:completion:arg-completer[aseecr] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'aseecr'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'aseecr'= {
            cand --registry 'Use REGISTRY (host[:port]) for references that name no registry'
            cand --ca-cert 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run'
            cand -u 'Authenticate as USER instead of using stored credentials'
            cand --username 'Authenticate as USER instead of using stored credentials'
            cand --config-dir 'Read and write aseecr''s configuration in DIR'
            cand --docker-config 'Read and write docker credentials (config.json) in DIR'
            cand -v 'Show more detail: the cause chain of errors, and HTTP requests (secrets redacted)'
            cand --verbose 'Show more detail: the cause chain of errors, and HTTP requests (secrets redacted)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand --no-progress 'Hide progress bars'
            cand -y 'Answer yes to every confirmation prompt'
            cand --yes 'Answer yes to every confirmation prompt'
            cand --insecure 'Skip TLS certificate verification (unsafe; prints a warning)'
            cand --plain-http 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
            cand --password-stdin 'Read the password from standard input (one line)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand login 'Log in to a registry and store the credentials as docker does'
            cand logout 'Remove stored credentials for a registry'
            cand catalog 'List the repositories of a registry'
            cand tags 'List the tags of a repository'
            cand inspect 'Show an image''s digest, media type, platforms, layers and sizes'
            cand digest 'Print the digest an image reference resolves to'
            cand delete 'Delete images safely, never removing a tag that was not named'
            cand mirror 'Copy images from any registry to the edge registry, without a Docker engine'
            cand config 'Read or change aseecr''s settings, such as the default registry'
            cand setup-host 'Add, replace or remove the hosts-file entry for a registry'
            cand completions 'Print the shell completion script for SHELL'
            cand man 'Print aseecr''s manual page (roff), as installed in man1/aseecr.1'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aseecr;login'= {
            cand --ca-cert 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run'
            cand -u 'Authenticate as USER instead of using stored credentials'
            cand --username 'Authenticate as USER instead of using stored credentials'
            cand --config-dir 'Read and write aseecr''s configuration in DIR'
            cand --docker-config 'Read and write docker credentials (config.json) in DIR'
            cand -v 'Show more detail: the cause chain of errors, and HTTP requests (secrets redacted)'
            cand --verbose 'Show more detail: the cause chain of errors, and HTTP requests (secrets redacted)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand --no-progress 'Hide progress bars'
            cand -y 'Answer yes to every confirmation prompt'
            cand --yes 'Answer yes to every confirmation prompt'
            cand --insecure 'Skip TLS certificate verification (unsafe; prints a warning)'
            cand --plain-http 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
            cand --password-stdin 'Read the password from standard input (one line)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'aseecr;logout'= {
            cand --ca-cert 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run'
            cand -u 'Authenticate as USER instead of using stored credentials'
            cand --username 'Authenticate as USER instead of using stored credentials'
            cand --config-dir 'Read and write aseecr''s configuration in DIR'
            cand --docker-config 'Read and write docker credentials (config.json) in DIR'
            cand -v 'Show more detail: the cause chain of errors, and HTTP requests (secrets redacted)'
            cand --verbose 'Show more detail: the cause chain of errors, and HTTP requests (secrets redacted)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand --no-progress 'Hide progress bars'
            cand -y 'Answer yes to every confirmation prompt'
            cand --yes 'Answer yes to every confirmation prompt'
            cand --insecure 'Skip TLS certificate verification (unsafe; prints a warning)'
            cand --plain-http 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
            cand --password-stdin 'Read the password from standard input (one line)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'aseecr;catalog'= {
            cand --format 'Print the result as FORMAT'
            cand --ca-cert 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run'
            cand -u 'Authenticate as USER instead of using stored credentials'
            cand --username 'Authenticate as USER instead of using stored credentials'
            cand --config-dir 'Read and write aseecr''s configuration in DIR'
            cand --docker-config 'Read and write docker credentials (config.json) in DIR'
            cand -v 'Show more detail: the cause chain of errors, and HTTP requests (secrets redacted)'
            cand --verbose 'Show more detail: the cause chain of errors, and HTTP requests (secrets redacted)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand --no-progress 'Hide progress bars'
            cand -y 'Answer yes to every confirmation prompt'
            cand --yes 'Answer yes to every confirmation prompt'
            cand --insecure 'Skip TLS certificate verification (unsafe; prints a warning)'
            cand --plain-http 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
            cand --password-stdin 'Read the password from standard input (one line)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'aseecr;tags'= {
            cand --format 'Print the result as FORMAT'
            cand --registry 'Use REGISTRY (host[:port]) for references that name no registry'
            cand --ca-cert 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run'
            cand -u 'Authenticate as USER instead of using stored credentials'
            cand --username 'Authenticate as USER instead of using stored credentials'
            cand --config-dir 'Read and write aseecr''s configuration in DIR'
            cand --docker-config 'Read and write docker credentials (config.json) in DIR'
            cand -v 'Show more detail: the cause chain of errors, and HTTP requests (secrets redacted)'
            cand --verbose 'Show more detail: the cause chain of errors, and HTTP requests (secrets redacted)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand --no-progress 'Hide progress bars'
            cand -y 'Answer yes to every confirmation prompt'
            cand --yes 'Answer yes to every confirmation prompt'
            cand --insecure 'Skip TLS certificate verification (unsafe; prints a warning)'
            cand --plain-http 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
            cand --password-stdin 'Read the password from standard input (one line)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'aseecr;inspect'= {
            cand --format 'Print the result as FORMAT'
            cand --registry 'Use REGISTRY (host[:port]) for references that name no registry'
            cand --ca-cert 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run'
            cand -u 'Authenticate as USER instead of using stored credentials'
            cand --username 'Authenticate as USER instead of using stored credentials'
            cand --config-dir 'Read and write aseecr''s configuration in DIR'
            cand --docker-config 'Read and write docker credentials (config.json) in DIR'
            cand --raw 'Print the manifest bytes exactly as the registry sent them'
            cand -v 'Show more detail: the cause chain of errors, and HTTP requests (secrets redacted)'
            cand --verbose 'Show more detail: the cause chain of errors, and HTTP requests (secrets redacted)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand --no-progress 'Hide progress bars'
            cand -y 'Answer yes to every confirmation prompt'
            cand --yes 'Answer yes to every confirmation prompt'
            cand --insecure 'Skip TLS certificate verification (unsafe; prints a warning)'
            cand --plain-http 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
            cand --password-stdin 'Read the password from standard input (one line)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'aseecr;digest'= {
            cand --registry 'Use REGISTRY (host[:port]) for references that name no registry'
            cand --ca-cert 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run'
            cand -u 'Authenticate as USER instead of using stored credentials'
            cand --username 'Authenticate as USER instead of using stored credentials'
            cand --config-dir 'Read and write aseecr''s configuration in DIR'
            cand --docker-config 'Read and write docker credentials (config.json) in DIR'
            cand -v 'Show more detail: the cause chain of errors, and HTTP requests (secrets redacted)'
            cand --verbose 'Show more detail: the cause chain of errors, and HTTP requests (secrets redacted)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand --no-progress 'Hide progress bars'
            cand -y 'Answer yes to every confirmation prompt'
            cand --yes 'Answer yes to every confirmation prompt'
            cand --insecure 'Skip TLS certificate verification (unsafe; prints a warning)'
            cand --plain-http 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
            cand --password-stdin 'Read the password from standard input (one line)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'aseecr;delete'= {
            cand --format 'Print the result as FORMAT'
            cand --registry 'Use REGISTRY (host[:port]) for references that name no registry'
            cand --ca-cert 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run'
            cand -u 'Authenticate as USER instead of using stored credentials'
            cand --username 'Authenticate as USER instead of using stored credentials'
            cand --config-dir 'Read and write aseecr''s configuration in DIR'
            cand --docker-config 'Read and write docker credentials (config.json) in DIR'
            cand --force 'Delete even when other tags share the digest (they are deleted too)'
            cand --dry-run 'Print what would be deleted, and delete nothing'
            cand -v 'Show more detail: the cause chain of errors, and HTTP requests (secrets redacted)'
            cand --verbose 'Show more detail: the cause chain of errors, and HTTP requests (secrets redacted)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand --no-progress 'Hide progress bars'
            cand -y 'Answer yes to every confirmation prompt'
            cand --yes 'Answer yes to every confirmation prompt'
            cand --insecure 'Skip TLS certificate verification (unsafe; prints a warning)'
            cand --plain-http 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
            cand --password-stdin 'Read the password from standard input (one line)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'aseecr;mirror'= {
            cand -f 'Read `SRC [DST]` lines from FILE (`-` for stdin); `#` starts a comment'
            cand --file 'Read `SRC [DST]` lines from FILE (`-` for stdin); `#` starts a comment'
            cand --prefix 'Put destination repositories under PREFIX (when the destination is not named)'
            cand --platform 'Copy only PLATFORM (os/arch[/variant]) of a multi-platform image; repeatable'
            cand --tags 'Copy the tags of the source repository that match REGEX'
            cand -j 'Copy up to N blobs at once'
            cand --jobs 'Copy up to N blobs at once'
            cand --src-ca-cert 'Trust FILE (PEM or DER) for the source registry'
            cand --dst-ca-cert 'Trust FILE (PEM or DER) for the destination registry'
            cand --format 'Print the result as FORMAT'
            cand --registry 'Use REGISTRY (host[:port]) for references that name no registry'
            cand --ca-cert 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run'
            cand -u 'Authenticate as USER instead of using stored credentials'
            cand --username 'Authenticate as USER instead of using stored credentials'
            cand --config-dir 'Read and write aseecr''s configuration in DIR'
            cand --docker-config 'Read and write docker credentials (config.json) in DIR'
            cand --all-tags 'Copy every tag of the source repository'
            cand --dry-run 'Print the plan (images, blobs to copy, bytes, blobs already there); write nothing'
            cand --include-nondistributable 'Also copy foreign (non-distributable) layers, such as Windows base layers'
            cand --src-insecure 'Skip TLS verification for the source registry'
            cand --src-plain-http 'Speak plain HTTP to the source registry'
            cand --dst-insecure 'Skip TLS verification for the destination registry'
            cand --dst-plain-http 'Speak plain HTTP to the destination registry'
            cand -v 'Show more detail: the cause chain of errors, and HTTP requests (secrets redacted)'
            cand --verbose 'Show more detail: the cause chain of errors, and HTTP requests (secrets redacted)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand --no-progress 'Hide progress bars'
            cand -y 'Answer yes to every confirmation prompt'
            cand --yes 'Answer yes to every confirmation prompt'
            cand --insecure 'Skip TLS certificate verification (unsafe; prints a warning)'
            cand --plain-http 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
            cand --password-stdin 'Read the password from standard input (one line)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'aseecr;config'= {
            cand --registry 'Use REGISTRY (host[:port]) for references that name no registry'
            cand --ca-cert 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run'
            cand -u 'Authenticate as USER instead of using stored credentials'
            cand --username 'Authenticate as USER instead of using stored credentials'
            cand --config-dir 'Read and write aseecr''s configuration in DIR'
            cand --docker-config 'Read and write docker credentials (config.json) in DIR'
            cand -v 'Show more detail: the cause chain of errors, and HTTP requests (secrets redacted)'
            cand --verbose 'Show more detail: the cause chain of errors, and HTTP requests (secrets redacted)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand --no-progress 'Hide progress bars'
            cand -y 'Answer yes to every confirmation prompt'
            cand --yes 'Answer yes to every confirmation prompt'
            cand --insecure 'Skip TLS certificate verification (unsafe; prints a warning)'
            cand --plain-http 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
            cand --password-stdin 'Read the password from standard input (one line)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand set 'Set KEY to VALUE (keys: registry)'
            cand get 'Print the value of KEY'
            cand unset 'Remove KEY, going back to its default'
            cand list 'Print every setting and the registries aseecr remembers'
            cand path 'Print the path of the configuration file'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aseecr;config;set'= {
            cand --registry 'Use REGISTRY (host[:port]) for references that name no registry'
            cand --ca-cert 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run'
            cand -u 'Authenticate as USER instead of using stored credentials'
            cand --username 'Authenticate as USER instead of using stored credentials'
            cand --config-dir 'Read and write aseecr''s configuration in DIR'
            cand --docker-config 'Read and write docker credentials (config.json) in DIR'
            cand -v 'Show more detail: the cause chain of errors, and HTTP requests (secrets redacted)'
            cand --verbose 'Show more detail: the cause chain of errors, and HTTP requests (secrets redacted)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand --no-progress 'Hide progress bars'
            cand -y 'Answer yes to every confirmation prompt'
            cand --yes 'Answer yes to every confirmation prompt'
            cand --insecure 'Skip TLS certificate verification (unsafe; prints a warning)'
            cand --plain-http 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
            cand --password-stdin 'Read the password from standard input (one line)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'aseecr;config;get'= {
            cand --registry 'Use REGISTRY (host[:port]) for references that name no registry'
            cand --ca-cert 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run'
            cand -u 'Authenticate as USER instead of using stored credentials'
            cand --username 'Authenticate as USER instead of using stored credentials'
            cand --config-dir 'Read and write aseecr''s configuration in DIR'
            cand --docker-config 'Read and write docker credentials (config.json) in DIR'
            cand -v 'Show more detail: the cause chain of errors, and HTTP requests (secrets redacted)'
            cand --verbose 'Show more detail: the cause chain of errors, and HTTP requests (secrets redacted)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand --no-progress 'Hide progress bars'
            cand -y 'Answer yes to every confirmation prompt'
            cand --yes 'Answer yes to every confirmation prompt'
            cand --insecure 'Skip TLS certificate verification (unsafe; prints a warning)'
            cand --plain-http 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
            cand --password-stdin 'Read the password from standard input (one line)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'aseecr;config;unset'= {
            cand --registry 'Use REGISTRY (host[:port]) for references that name no registry'
            cand --ca-cert 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run'
            cand -u 'Authenticate as USER instead of using stored credentials'
            cand --username 'Authenticate as USER instead of using stored credentials'
            cand --config-dir 'Read and write aseecr''s configuration in DIR'
            cand --docker-config 'Read and write docker credentials (config.json) in DIR'
            cand -v 'Show more detail: the cause chain of errors, and HTTP requests (secrets redacted)'
            cand --verbose 'Show more detail: the cause chain of errors, and HTTP requests (secrets redacted)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand --no-progress 'Hide progress bars'
            cand -y 'Answer yes to every confirmation prompt'
            cand --yes 'Answer yes to every confirmation prompt'
            cand --insecure 'Skip TLS certificate verification (unsafe; prints a warning)'
            cand --plain-http 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
            cand --password-stdin 'Read the password from standard input (one line)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'aseecr;config;list'= {
            cand --format 'Print the result as FORMAT'
            cand --registry 'Use REGISTRY (host[:port]) for references that name no registry'
            cand --ca-cert 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run'
            cand -u 'Authenticate as USER instead of using stored credentials'
            cand --username 'Authenticate as USER instead of using stored credentials'
            cand --config-dir 'Read and write aseecr''s configuration in DIR'
            cand --docker-config 'Read and write docker credentials (config.json) in DIR'
            cand -v 'Show more detail: the cause chain of errors, and HTTP requests (secrets redacted)'
            cand --verbose 'Show more detail: the cause chain of errors, and HTTP requests (secrets redacted)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand --no-progress 'Hide progress bars'
            cand -y 'Answer yes to every confirmation prompt'
            cand --yes 'Answer yes to every confirmation prompt'
            cand --insecure 'Skip TLS certificate verification (unsafe; prints a warning)'
            cand --plain-http 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
            cand --password-stdin 'Read the password from standard input (one line)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'aseecr;config;path'= {
            cand --registry 'Use REGISTRY (host[:port]) for references that name no registry'
            cand --ca-cert 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run'
            cand -u 'Authenticate as USER instead of using stored credentials'
            cand --username 'Authenticate as USER instead of using stored credentials'
            cand --config-dir 'Read and write aseecr''s configuration in DIR'
            cand --docker-config 'Read and write docker credentials (config.json) in DIR'
            cand -v 'Show more detail: the cause chain of errors, and HTTP requests (secrets redacted)'
            cand --verbose 'Show more detail: the cause chain of errors, and HTTP requests (secrets redacted)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand --no-progress 'Hide progress bars'
            cand -y 'Answer yes to every confirmation prompt'
            cand --yes 'Answer yes to every confirmation prompt'
            cand --insecure 'Skip TLS certificate verification (unsafe; prints a warning)'
            cand --plain-http 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
            cand --password-stdin 'Read the password from standard input (one line)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'aseecr;config;help'= {
            cand set 'Set KEY to VALUE (keys: registry)'
            cand get 'Print the value of KEY'
            cand unset 'Remove KEY, going back to its default'
            cand list 'Print every setting and the registries aseecr remembers'
            cand path 'Print the path of the configuration file'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aseecr;config;help;set'= {
        }
        &'aseecr;config;help;get'= {
        }
        &'aseecr;config;help;unset'= {
        }
        &'aseecr;config;help;list'= {
        }
        &'aseecr;config;help;path'= {
        }
        &'aseecr;config;help;help'= {
        }
        &'aseecr;setup-host'= {
            cand --hosts-file 'Edit FILE instead of the system hosts file'
            cand --format 'Print the result as FORMAT'
            cand --registry 'Use REGISTRY (host[:port]) for references that name no registry'
            cand --ca-cert 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run'
            cand -u 'Authenticate as USER instead of using stored credentials'
            cand --username 'Authenticate as USER instead of using stored credentials'
            cand --config-dir 'Read and write aseecr''s configuration in DIR'
            cand --docker-config 'Read and write docker credentials (config.json) in DIR'
            cand --remove 'Remove the entry for ENDPOINT instead'
            cand --list 'Print the entries aseecr manages in the hosts file'
            cand --dry-run 'Print the change as a diff, and change nothing'
            cand -v 'Show more detail: the cause chain of errors, and HTTP requests (secrets redacted)'
            cand --verbose 'Show more detail: the cause chain of errors, and HTTP requests (secrets redacted)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand --no-progress 'Hide progress bars'
            cand -y 'Answer yes to every confirmation prompt'
            cand --yes 'Answer yes to every confirmation prompt'
            cand --insecure 'Skip TLS certificate verification (unsafe; prints a warning)'
            cand --plain-http 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
            cand --password-stdin 'Read the password from standard input (one line)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'aseecr;completions'= {
            cand --registry 'Use REGISTRY (host[:port]) for references that name no registry'
            cand --ca-cert 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run'
            cand -u 'Authenticate as USER instead of using stored credentials'
            cand --username 'Authenticate as USER instead of using stored credentials'
            cand --config-dir 'Read and write aseecr''s configuration in DIR'
            cand --docker-config 'Read and write docker credentials (config.json) in DIR'
            cand -v 'Show more detail: the cause chain of errors, and HTTP requests (secrets redacted)'
            cand --verbose 'Show more detail: the cause chain of errors, and HTTP requests (secrets redacted)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand --no-progress 'Hide progress bars'
            cand -y 'Answer yes to every confirmation prompt'
            cand --yes 'Answer yes to every confirmation prompt'
            cand --insecure 'Skip TLS certificate verification (unsafe; prints a warning)'
            cand --plain-http 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
            cand --password-stdin 'Read the password from standard input (one line)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'aseecr;man'= {
            cand --registry 'Use REGISTRY (host[:port]) for references that name no registry'
            cand --ca-cert 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run'
            cand -u 'Authenticate as USER instead of using stored credentials'
            cand --username 'Authenticate as USER instead of using stored credentials'
            cand --config-dir 'Read and write aseecr''s configuration in DIR'
            cand --docker-config 'Read and write docker credentials (config.json) in DIR'
            cand -v 'Show more detail: the cause chain of errors, and HTTP requests (secrets redacted)'
            cand --verbose 'Show more detail: the cause chain of errors, and HTTP requests (secrets redacted)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand --no-progress 'Hide progress bars'
            cand -y 'Answer yes to every confirmation prompt'
            cand --yes 'Answer yes to every confirmation prompt'
            cand --insecure 'Skip TLS certificate verification (unsafe; prints a warning)'
            cand --plain-http 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
            cand --password-stdin 'Read the password from standard input (one line)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'aseecr;help'= {
            cand login 'Log in to a registry and store the credentials as docker does'
            cand logout 'Remove stored credentials for a registry'
            cand catalog 'List the repositories of a registry'
            cand tags 'List the tags of a repository'
            cand inspect 'Show an image''s digest, media type, platforms, layers and sizes'
            cand digest 'Print the digest an image reference resolves to'
            cand delete 'Delete images safely, never removing a tag that was not named'
            cand mirror 'Copy images from any registry to the edge registry, without a Docker engine'
            cand config 'Read or change aseecr''s settings, such as the default registry'
            cand setup-host 'Add, replace or remove the hosts-file entry for a registry'
            cand completions 'Print the shell completion script for SHELL'
            cand man 'Print aseecr''s manual page (roff), as installed in man1/aseecr.1'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aseecr;help;login'= {
        }
        &'aseecr;help;logout'= {
        }
        &'aseecr;help;catalog'= {
        }
        &'aseecr;help;tags'= {
        }
        &'aseecr;help;inspect'= {
        }
        &'aseecr;help;digest'= {
        }
        &'aseecr;help;delete'= {
        }
        &'aseecr;help;mirror'= {
        }
        &'aseecr;help;config'= {
            cand set 'Set KEY to VALUE (keys: registry)'
            cand get 'Print the value of KEY'
            cand unset 'Remove KEY, going back to its default'
            cand list 'Print every setting and the registries aseecr remembers'
            cand path 'Print the path of the configuration file'
        }
        &'aseecr;help;config;set'= {
        }
        &'aseecr;help;config;get'= {
        }
        &'aseecr;help;config;unset'= {
        }
        &'aseecr;help;config;list'= {
        }
        &'aseecr;help;config;path'= {
        }
        &'aseecr;help;setup-host'= {
        }
        &'aseecr;help;completions'= {
        }
        &'aseecr;help;man'= {
        }
        &'aseecr;help;help'= {
        }
    ]
    $completions[$command]
}
