# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_aseecr_global_optspecs
    string join \n v/verbose q/quiet no-progress color= y/yes registry= ca-cert= insecure plain-http u/username= password-stdin config-dir= docker-config= h/help V/version
end

function __fish_aseecr_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_aseecr_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_aseecr_using_subcommand
    set -l cmd (__fish_aseecr_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c aseecr -n "__fish_aseecr_needs_command" -l color -d 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always, also into a pipe or file'
never\t'Never'"
complete -c aseecr -n "__fish_aseecr_needs_command" -l registry -d 'Use REGISTRY (host[:port]) for references that name no registry' -r
complete -c aseecr -n "__fish_aseecr_needs_command" -l ca-cert -d 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run' -r -F
complete -c aseecr -n "__fish_aseecr_needs_command" -s u -l username -d 'Authenticate as USER instead of using stored credentials' -r
complete -c aseecr -n "__fish_aseecr_needs_command" -l config-dir -d 'Read and write aseecr\'s configuration in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_needs_command" -l docker-config -d 'Read and write docker credentials (config.json) in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_needs_command" -s v -l verbose -d 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is'
complete -c aseecr -n "__fish_aseecr_needs_command" -s q -l quiet -d 'Print only data and errors'
complete -c aseecr -n "__fish_aseecr_needs_command" -l no-progress -d 'Hide progress bars'
complete -c aseecr -n "__fish_aseecr_needs_command" -s y -l yes -d 'Answer yes to every confirmation prompt'
complete -c aseecr -n "__fish_aseecr_needs_command" -l insecure -d 'Skip TLS certificate verification (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_needs_command" -l plain-http -d 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_needs_command" -l password-stdin -d 'Read the password from standard input (one line)'
complete -c aseecr -n "__fish_aseecr_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aseecr -n "__fish_aseecr_needs_command" -s V -l version -d 'Print version'
complete -c aseecr -n "__fish_aseecr_needs_command" -f -a "setup" -d 'Set up this machine for a device\'s registry: hosts entry, certificate, login, check'
complete -c aseecr -n "__fish_aseecr_needs_command" -f -a "setup-host" -d 'Add, replace or remove the hosts-file entry for a registry'
complete -c aseecr -n "__fish_aseecr_needs_command" -f -a "trust-cert" -d 'Trust a registry\'s certificate in the OS store, container clients and aseecr'
complete -c aseecr -n "__fish_aseecr_needs_command" -f -a "login" -d 'Log in to a registry and store the credentials as docker does'
complete -c aseecr -n "__fish_aseecr_needs_command" -f -a "logout" -d 'Remove stored credentials for a registry'
complete -c aseecr -n "__fish_aseecr_needs_command" -f -a "mirror" -d 'Copy images from any registry to the edge registry, without a Docker engine'
complete -c aseecr -n "__fish_aseecr_needs_command" -f -a "cp" -d 'Copy images from any registry to the edge registry, without a Docker engine'
complete -c aseecr -n "__fish_aseecr_needs_command" -f -a "copy" -d 'Copy images from any registry to the edge registry, without a Docker engine'
complete -c aseecr -n "__fish_aseecr_needs_command" -f -a "sync" -d 'Copy the images a YAML file lists to every destination registry it names'
complete -c aseecr -n "__fish_aseecr_needs_command" -f -a "catalog" -d 'List the repositories of a registry'
complete -c aseecr -n "__fish_aseecr_needs_command" -f -a "tags" -d 'List the tags of a repository'
complete -c aseecr -n "__fish_aseecr_needs_command" -f -a "ls" -d 'List the tags of a repository'
complete -c aseecr -n "__fish_aseecr_needs_command" -f -a "inspect" -d 'Show an image\'s digest, media type, platforms, layers and sizes'
complete -c aseecr -n "__fish_aseecr_needs_command" -f -a "digest" -d 'Print the digest an image reference resolves to'
complete -c aseecr -n "__fish_aseecr_needs_command" -f -a "verify" -d 'Check an image\'s signatures against a cosign key or notation\'s trust policy'
complete -c aseecr -n "__fish_aseecr_needs_command" -f -a "usage" -d 'Show the space each repository takes and shares, the total, and the largest images'
complete -c aseecr -n "__fish_aseecr_needs_command" -f -a "du" -d 'Show the space each repository takes and shares, the total, and the largest images'
complete -c aseecr -n "__fish_aseecr_needs_command" -f -a "delete" -d 'Delete images safely, never removing a tag that was not named'
complete -c aseecr -n "__fish_aseecr_needs_command" -f -a "rm" -d 'Delete images safely, never removing a tag that was not named'
complete -c aseecr -n "__fish_aseecr_needs_command" -f -a "untag" -d 'Remove tags only, keeping every other tag and the image itself'
complete -c aseecr -n "__fish_aseecr_needs_command" -f -a "prune" -d 'Delete old images by policy: keep the newest N, older than a time, by tag pattern'
complete -c aseecr -n "__fish_aseecr_needs_command" -f -a "doctor" -d 'Check name, connection, certificate, API, login, push and delete, and say what to fix'
complete -c aseecr -n "__fish_aseecr_needs_command" -f -a "k8s" -d 'Kubernetes helpers: image pull secret, relocate manifests, a cronjob that runs sync'
complete -c aseecr -n "__fish_aseecr_needs_command" -f -a "config" -d 'Read or change aseecr\'s settings, such as the default registry'
complete -c aseecr -n "__fish_aseecr_needs_command" -f -a "completions" -d 'Print the shell completion script for SHELL'
complete -c aseecr -n "__fish_aseecr_needs_command" -f -a "version" -d 'Print aseecr\'s version'
complete -c aseecr -n "__fish_aseecr_needs_command" -f -a "man" -d 'Print aseecr\'s manual page (roff), as installed in man1/aseecr.1'
complete -c aseecr -n "__fish_aseecr_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aseecr -n "__fish_aseecr_using_subcommand setup" -l from-info -d 'Read endpoint, IP, username and password from FILE (`-` for stdin): the output of the device\'s `Get-HcsKubernetesContainerRegistryInfo`' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand setup" -l endpoint -d 'The registry endpoint, host:port (the device\'s listens on port 31001)' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand setup" -l ip -d 'The device\'s Kubernetes node IP address' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand setup" -l cert -d 'The registry certificate downloaded from the device (PEM or DER)' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand setup" -l store -d 'Trust the certificate in these stores (`all`: the OS store too, as for trust-cert) [default: the registry\'s own stores; on Windows also the OS store]' -r -f -a "all\t'Every store of this OS, the OS store included'
os\t'The OS trust store, which trusts a CA:TRUE certificate for every HTTPS site (update-ca-certificates and friends, macOS System keychain, Windows Root)'
docker\t'Docker\'s per-registry folder: /etc/docker/certs.d/HOST:PORT/ca.crt'
containers\t'Podman, Buildah, Skopeo, CRI-O: /etc/containers/certs.d/HOST:PORT/ca.crt'
containerd\t'containerd: /etc/containerd/certs.d/HOST:PORT/{ca.crt,hosts.toml}'
aseecr\t'aseecr\'s own per-registry trust (in its configuration folder)'"
complete -c aseecr -n "__fish_aseecr_using_subcommand setup" -l hosts-file -d 'Edit FILE instead of the system hosts file' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand setup" -l root -d 'Treat DIR as the file-system root: every system path is taken inside DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand setup" -l trust-command -d 'Run PROGRAM with the OS command as its arguments instead of the command itself' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand setup" -l format -d 'Print the result as FORMAT' -r -f -a "text\t'Lines meant for people'
json\t'One JSON object, for scripts'"
complete -c aseecr -n "__fish_aseecr_using_subcommand setup" -l color -d 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always, also into a pipe or file'
never\t'Never'"
complete -c aseecr -n "__fish_aseecr_using_subcommand setup" -l registry -d 'Use REGISTRY (host[:port]) for references that name no registry' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand setup" -l ca-cert -d 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand setup" -s u -l username -d 'Authenticate as USER instead of using stored credentials' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand setup" -l config-dir -d 'Read and write aseecr\'s configuration in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand setup" -l docker-config -d 'Read and write docker credentials (config.json) in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand setup" -l dry-run -d 'Print every step\'s planned change, and change nothing'
complete -c aseecr -n "__fish_aseecr_using_subcommand setup" -s v -l verbose -d 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is'
complete -c aseecr -n "__fish_aseecr_using_subcommand setup" -s q -l quiet -d 'Print only data and errors'
complete -c aseecr -n "__fish_aseecr_using_subcommand setup" -l no-progress -d 'Hide progress bars'
complete -c aseecr -n "__fish_aseecr_using_subcommand setup" -s y -l yes -d 'Answer yes to every confirmation prompt'
complete -c aseecr -n "__fish_aseecr_using_subcommand setup" -l insecure -d 'Skip TLS certificate verification (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand setup" -l plain-http -d 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand setup" -l password-stdin -d 'Read the password from standard input (one line)'
complete -c aseecr -n "__fish_aseecr_using_subcommand setup" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aseecr -n "__fish_aseecr_using_subcommand setup" -s V -l version -d 'Print version'
complete -c aseecr -n "__fish_aseecr_using_subcommand setup-host" -l hosts-file -d 'Edit FILE instead of the system hosts file' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand setup-host" -l format -d 'Print the result as FORMAT' -r -f -a "text\t'Lines meant for people'
json\t'One JSON object, for scripts'"
complete -c aseecr -n "__fish_aseecr_using_subcommand setup-host" -l color -d 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always, also into a pipe or file'
never\t'Never'"
complete -c aseecr -n "__fish_aseecr_using_subcommand setup-host" -l registry -d 'Use REGISTRY (host[:port]) for references that name no registry' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand setup-host" -l ca-cert -d 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand setup-host" -s u -l username -d 'Authenticate as USER instead of using stored credentials' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand setup-host" -l config-dir -d 'Read and write aseecr\'s configuration in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand setup-host" -l docker-config -d 'Read and write docker credentials (config.json) in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand setup-host" -l remove -d 'Remove the entry for ENDPOINT instead'
complete -c aseecr -n "__fish_aseecr_using_subcommand setup-host" -l list -d 'Print the entries aseecr manages in the hosts file'
complete -c aseecr -n "__fish_aseecr_using_subcommand setup-host" -l dry-run -d 'Print the change as a diff, and change nothing'
complete -c aseecr -n "__fish_aseecr_using_subcommand setup-host" -s v -l verbose -d 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is'
complete -c aseecr -n "__fish_aseecr_using_subcommand setup-host" -s q -l quiet -d 'Print only data and errors'
complete -c aseecr -n "__fish_aseecr_using_subcommand setup-host" -l no-progress -d 'Hide progress bars'
complete -c aseecr -n "__fish_aseecr_using_subcommand setup-host" -s y -l yes -d 'Answer yes to every confirmation prompt'
complete -c aseecr -n "__fish_aseecr_using_subcommand setup-host" -l insecure -d 'Skip TLS certificate verification (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand setup-host" -l plain-http -d 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand setup-host" -l password-stdin -d 'Read the password from standard input (one line)'
complete -c aseecr -n "__fish_aseecr_using_subcommand setup-host" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aseecr -n "__fish_aseecr_using_subcommand setup-host" -s V -l version -d 'Print version'
complete -c aseecr -n "__fish_aseecr_using_subcommand trust-cert" -l fingerprint -d 'Trust only the certificate with this SHA-256 fingerprint (AA:BB:.. or hex)' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand trust-cert" -l store -d 'Change only these stores (`all`: every store, the OS store too) [default: the registry\'s own stores; on Windows also the OS store; with --remove: all]' -r -f -a "all\t'Every store of this OS, the OS store included'
os\t'The OS trust store, which trusts a CA:TRUE certificate for every HTTPS site (update-ca-certificates and friends, macOS System keychain, Windows Root)'
docker\t'Docker\'s per-registry folder: /etc/docker/certs.d/HOST:PORT/ca.crt'
containers\t'Podman, Buildah, Skopeo, CRI-O: /etc/containers/certs.d/HOST:PORT/ca.crt'
containerd\t'containerd: /etc/containerd/certs.d/HOST:PORT/{ca.crt,hosts.toml}'
aseecr\t'aseecr\'s own per-registry trust (in its configuration folder)'"
complete -c aseecr -n "__fish_aseecr_using_subcommand trust-cert" -l root -d 'Treat DIR as the file-system root: every system path is taken inside DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand trust-cert" -l trust-command -d 'Run PROGRAM with the OS command as its arguments instead of the command itself' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand trust-cert" -l format -d 'Print the result as FORMAT' -r -f -a "text\t'Lines meant for people'
json\t'One JSON object, for scripts'"
complete -c aseecr -n "__fish_aseecr_using_subcommand trust-cert" -l color -d 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always, also into a pipe or file'
never\t'Never'"
complete -c aseecr -n "__fish_aseecr_using_subcommand trust-cert" -l registry -d 'Use REGISTRY (host[:port]) for references that name no registry' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand trust-cert" -l ca-cert -d 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand trust-cert" -s u -l username -d 'Authenticate as USER instead of using stored credentials' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand trust-cert" -l config-dir -d 'Read and write aseecr\'s configuration in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand trust-cert" -l docker-config -d 'Read and write docker credentials (config.json) in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand trust-cert" -l fetch -d 'Get the certificate the registry (--registry) presents instead of reading a file'
complete -c aseecr -n "__fish_aseecr_using_subcommand trust-cert" -l remove -d 'Remove the certificate from the stores instead (matched by fingerprint)'
complete -c aseecr -n "__fish_aseecr_using_subcommand trust-cert" -l dry-run -d 'Print what would change, and change nothing'
complete -c aseecr -n "__fish_aseecr_using_subcommand trust-cert" -l force -d 'Trust the certificate even though it has expired or does not name the registry'
complete -c aseecr -n "__fish_aseecr_using_subcommand trust-cert" -l replace -d 'Replace a different certificate already trusted for the registry (a re-issued one)'
complete -c aseecr -n "__fish_aseecr_using_subcommand trust-cert" -s v -l verbose -d 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is'
complete -c aseecr -n "__fish_aseecr_using_subcommand trust-cert" -s q -l quiet -d 'Print only data and errors'
complete -c aseecr -n "__fish_aseecr_using_subcommand trust-cert" -l no-progress -d 'Hide progress bars'
complete -c aseecr -n "__fish_aseecr_using_subcommand trust-cert" -s y -l yes -d 'Answer yes to every confirmation prompt'
complete -c aseecr -n "__fish_aseecr_using_subcommand trust-cert" -l insecure -d 'Skip TLS certificate verification (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand trust-cert" -l plain-http -d 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand trust-cert" -l password-stdin -d 'Read the password from standard input (one line)'
complete -c aseecr -n "__fish_aseecr_using_subcommand trust-cert" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aseecr -n "__fish_aseecr_using_subcommand trust-cert" -s V -l version -d 'Print version'
complete -c aseecr -n "__fish_aseecr_using_subcommand login" -l format -d 'Print the result as FORMAT' -r -f -a "text\t'Lines meant for people'
json\t'One JSON object, for scripts'"
complete -c aseecr -n "__fish_aseecr_using_subcommand login" -l color -d 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always, also into a pipe or file'
never\t'Never'"
complete -c aseecr -n "__fish_aseecr_using_subcommand login" -l ca-cert -d 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand login" -s u -l username -d 'Authenticate as USER instead of using stored credentials' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand login" -l config-dir -d 'Read and write aseecr\'s configuration in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand login" -l docker-config -d 'Read and write docker credentials (config.json) in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand login" -s v -l verbose -d 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is'
complete -c aseecr -n "__fish_aseecr_using_subcommand login" -s q -l quiet -d 'Print only data and errors'
complete -c aseecr -n "__fish_aseecr_using_subcommand login" -l no-progress -d 'Hide progress bars'
complete -c aseecr -n "__fish_aseecr_using_subcommand login" -s y -l yes -d 'Answer yes to every confirmation prompt'
complete -c aseecr -n "__fish_aseecr_using_subcommand login" -l insecure -d 'Skip TLS certificate verification (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand login" -l plain-http -d 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand login" -l password-stdin -d 'Read the password from standard input (one line)'
complete -c aseecr -n "__fish_aseecr_using_subcommand login" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aseecr -n "__fish_aseecr_using_subcommand login" -s V -l version -d 'Print version'
complete -c aseecr -n "__fish_aseecr_using_subcommand logout" -l format -d 'Print the result as FORMAT' -r -f -a "text\t'Lines meant for people'
json\t'One JSON object, for scripts'"
complete -c aseecr -n "__fish_aseecr_using_subcommand logout" -l color -d 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always, also into a pipe or file'
never\t'Never'"
complete -c aseecr -n "__fish_aseecr_using_subcommand logout" -l ca-cert -d 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand logout" -s u -l username -d 'Authenticate as USER instead of using stored credentials' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand logout" -l config-dir -d 'Read and write aseecr\'s configuration in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand logout" -l docker-config -d 'Read and write docker credentials (config.json) in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand logout" -s v -l verbose -d 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is'
complete -c aseecr -n "__fish_aseecr_using_subcommand logout" -s q -l quiet -d 'Print only data and errors'
complete -c aseecr -n "__fish_aseecr_using_subcommand logout" -l no-progress -d 'Hide progress bars'
complete -c aseecr -n "__fish_aseecr_using_subcommand logout" -s y -l yes -d 'Answer yes to every confirmation prompt'
complete -c aseecr -n "__fish_aseecr_using_subcommand logout" -l insecure -d 'Skip TLS certificate verification (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand logout" -l plain-http -d 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand logout" -l password-stdin -d 'Read the password from standard input (one line)'
complete -c aseecr -n "__fish_aseecr_using_subcommand logout" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aseecr -n "__fish_aseecr_using_subcommand logout" -s V -l version -d 'Print version'
complete -c aseecr -n "__fish_aseecr_using_subcommand mirror" -l to -d 'Copy every source to REGISTRY[/PREFIX], keeping each repository path; repeatable: every source to every registry, each blob read once' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand mirror" -l to-file -d 'Read destination registries (`REGISTRY[/PREFIX]`, one per line, `#` comments) from FILE, as repeated --to' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand mirror" -s f -l file -d 'Read `SRC [DST]` lines from FILE (`-` for stdin); `#` starts a comment' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand mirror" -l prefix -d 'Put destination repositories under PREFIX (when the destination is not named)' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand mirror" -l platform -d 'Copy only PLATFORM (os/arch[/variant]) of a multi-platform image; repeatable; `all`: every platform' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand mirror" -l tags -d 'Copy the tags of the source repository that match REGEX' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand mirror" -s j -l jobs -d 'Copy up to N blobs at once (blobs of 1 MiB or more: N/4, at least one) [default: 8, and 8 more per 25 ms of round trip to the source, at most 64]' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand mirror" -l limit-rate -d 'Read at most RATE bytes per second from the sources, all blobs together (e.g. 20M, 500K)' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand mirror" -l referrers-type -d 'Copy only the referrers of artifact type TYPE (e.g. application/spdx+json); repeatable' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand mirror" -l verify-key -d 'Copy only images carrying a cosign signature by the public key in FILE (PEM, ECDSA P-256)' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand mirror" -l verify-policy -d 'Copy only images the trust policy in FILE accepts (notation\'s trustpolicy.json)' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand mirror" -l trust-store -d 'Read the trust policy\'s named trust stores from DIR (notation\'s trust store layout)' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand mirror" -l src-ca-cert -d 'Trust FILE (PEM or DER) for the source registries' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand mirror" -l dst-ca-cert -d 'Trust FILE (PEM or DER) for the destination registries' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand mirror" -l format -d 'Print the result as FORMAT' -r -f -a "text\t'Lines meant for people'
json\t'One JSON object, for scripts'"
complete -c aseecr -n "__fish_aseecr_using_subcommand mirror" -l color -d 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always, also into a pipe or file'
never\t'Never'"
complete -c aseecr -n "__fish_aseecr_using_subcommand mirror" -l registry -d 'Use REGISTRY (host[:port]) for references that name no registry' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand mirror" -l ca-cert -d 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand mirror" -s u -l username -d 'Authenticate as USER instead of using stored credentials' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand mirror" -l config-dir -d 'Read and write aseecr\'s configuration in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand mirror" -l docker-config -d 'Read and write docker credentials (config.json) in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand mirror" -l all-tags -d 'Copy every tag of the source repository'
complete -c aseecr -n "__fish_aseecr_using_subcommand mirror" -l dry-run -d 'Print the plan (images, blobs to copy, bytes, blobs already there); write nothing'
complete -c aseecr -n "__fish_aseecr_using_subcommand mirror" -l include-nondistributable -d 'Also copy foreign (non-distributable) layers, such as Windows base layers'
complete -c aseecr -n "__fish_aseecr_using_subcommand mirror" -l prune-replaced -d 'Delete the digest a moved tag pointed at before, when no tag uses it any more'
complete -c aseecr -n "__fish_aseecr_using_subcommand mirror" -l no-referrers -d 'Copy no referrers (signatures, SBOMs, attestations) or cosign tags along with the images'
complete -c aseecr -n "__fish_aseecr_using_subcommand mirror" -l src-insecure -d 'Skip TLS verification for the source registries'
complete -c aseecr -n "__fish_aseecr_using_subcommand mirror" -l src-plain-http -d 'Speak plain HTTP to the source registries'
complete -c aseecr -n "__fish_aseecr_using_subcommand mirror" -l dst-insecure -d 'Skip TLS verification for the destination registries'
complete -c aseecr -n "__fish_aseecr_using_subcommand mirror" -l dst-plain-http -d 'Speak plain HTTP to the destination registries'
complete -c aseecr -n "__fish_aseecr_using_subcommand mirror" -s v -l verbose -d 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is'
complete -c aseecr -n "__fish_aseecr_using_subcommand mirror" -s q -l quiet -d 'Print only data and errors'
complete -c aseecr -n "__fish_aseecr_using_subcommand mirror" -l no-progress -d 'Hide progress bars'
complete -c aseecr -n "__fish_aseecr_using_subcommand mirror" -s y -l yes -d 'Answer yes to every confirmation prompt'
complete -c aseecr -n "__fish_aseecr_using_subcommand mirror" -l insecure -d 'Skip TLS certificate verification (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand mirror" -l plain-http -d 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand mirror" -l password-stdin -d 'Read the password from standard input (one line)'
complete -c aseecr -n "__fish_aseecr_using_subcommand mirror" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aseecr -n "__fish_aseecr_using_subcommand mirror" -s V -l version -d 'Print version'
complete -c aseecr -n "__fish_aseecr_using_subcommand cp" -l to -d 'Copy every source to REGISTRY[/PREFIX], keeping each repository path; repeatable: every source to every registry, each blob read once' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand cp" -l to-file -d 'Read destination registries (`REGISTRY[/PREFIX]`, one per line, `#` comments) from FILE, as repeated --to' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand cp" -s f -l file -d 'Read `SRC [DST]` lines from FILE (`-` for stdin); `#` starts a comment' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand cp" -l prefix -d 'Put destination repositories under PREFIX (when the destination is not named)' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand cp" -l platform -d 'Copy only PLATFORM (os/arch[/variant]) of a multi-platform image; repeatable; `all`: every platform' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand cp" -l tags -d 'Copy the tags of the source repository that match REGEX' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand cp" -s j -l jobs -d 'Copy up to N blobs at once (blobs of 1 MiB or more: N/4, at least one) [default: 8, and 8 more per 25 ms of round trip to the source, at most 64]' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand cp" -l limit-rate -d 'Read at most RATE bytes per second from the sources, all blobs together (e.g. 20M, 500K)' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand cp" -l referrers-type -d 'Copy only the referrers of artifact type TYPE (e.g. application/spdx+json); repeatable' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand cp" -l verify-key -d 'Copy only images carrying a cosign signature by the public key in FILE (PEM, ECDSA P-256)' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand cp" -l verify-policy -d 'Copy only images the trust policy in FILE accepts (notation\'s trustpolicy.json)' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand cp" -l trust-store -d 'Read the trust policy\'s named trust stores from DIR (notation\'s trust store layout)' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand cp" -l src-ca-cert -d 'Trust FILE (PEM or DER) for the source registries' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand cp" -l dst-ca-cert -d 'Trust FILE (PEM or DER) for the destination registries' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand cp" -l format -d 'Print the result as FORMAT' -r -f -a "text\t'Lines meant for people'
json\t'One JSON object, for scripts'"
complete -c aseecr -n "__fish_aseecr_using_subcommand cp" -l color -d 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always, also into a pipe or file'
never\t'Never'"
complete -c aseecr -n "__fish_aseecr_using_subcommand cp" -l registry -d 'Use REGISTRY (host[:port]) for references that name no registry' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand cp" -l ca-cert -d 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand cp" -s u -l username -d 'Authenticate as USER instead of using stored credentials' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand cp" -l config-dir -d 'Read and write aseecr\'s configuration in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand cp" -l docker-config -d 'Read and write docker credentials (config.json) in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand cp" -l all-tags -d 'Copy every tag of the source repository'
complete -c aseecr -n "__fish_aseecr_using_subcommand cp" -l dry-run -d 'Print the plan (images, blobs to copy, bytes, blobs already there); write nothing'
complete -c aseecr -n "__fish_aseecr_using_subcommand cp" -l include-nondistributable -d 'Also copy foreign (non-distributable) layers, such as Windows base layers'
complete -c aseecr -n "__fish_aseecr_using_subcommand cp" -l prune-replaced -d 'Delete the digest a moved tag pointed at before, when no tag uses it any more'
complete -c aseecr -n "__fish_aseecr_using_subcommand cp" -l no-referrers -d 'Copy no referrers (signatures, SBOMs, attestations) or cosign tags along with the images'
complete -c aseecr -n "__fish_aseecr_using_subcommand cp" -l src-insecure -d 'Skip TLS verification for the source registries'
complete -c aseecr -n "__fish_aseecr_using_subcommand cp" -l src-plain-http -d 'Speak plain HTTP to the source registries'
complete -c aseecr -n "__fish_aseecr_using_subcommand cp" -l dst-insecure -d 'Skip TLS verification for the destination registries'
complete -c aseecr -n "__fish_aseecr_using_subcommand cp" -l dst-plain-http -d 'Speak plain HTTP to the destination registries'
complete -c aseecr -n "__fish_aseecr_using_subcommand cp" -s v -l verbose -d 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is'
complete -c aseecr -n "__fish_aseecr_using_subcommand cp" -s q -l quiet -d 'Print only data and errors'
complete -c aseecr -n "__fish_aseecr_using_subcommand cp" -l no-progress -d 'Hide progress bars'
complete -c aseecr -n "__fish_aseecr_using_subcommand cp" -s y -l yes -d 'Answer yes to every confirmation prompt'
complete -c aseecr -n "__fish_aseecr_using_subcommand cp" -l insecure -d 'Skip TLS certificate verification (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand cp" -l plain-http -d 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand cp" -l password-stdin -d 'Read the password from standard input (one line)'
complete -c aseecr -n "__fish_aseecr_using_subcommand cp" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aseecr -n "__fish_aseecr_using_subcommand cp" -s V -l version -d 'Print version'
complete -c aseecr -n "__fish_aseecr_using_subcommand copy" -l to -d 'Copy every source to REGISTRY[/PREFIX], keeping each repository path; repeatable: every source to every registry, each blob read once' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand copy" -l to-file -d 'Read destination registries (`REGISTRY[/PREFIX]`, one per line, `#` comments) from FILE, as repeated --to' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand copy" -s f -l file -d 'Read `SRC [DST]` lines from FILE (`-` for stdin); `#` starts a comment' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand copy" -l prefix -d 'Put destination repositories under PREFIX (when the destination is not named)' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand copy" -l platform -d 'Copy only PLATFORM (os/arch[/variant]) of a multi-platform image; repeatable; `all`: every platform' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand copy" -l tags -d 'Copy the tags of the source repository that match REGEX' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand copy" -s j -l jobs -d 'Copy up to N blobs at once (blobs of 1 MiB or more: N/4, at least one) [default: 8, and 8 more per 25 ms of round trip to the source, at most 64]' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand copy" -l limit-rate -d 'Read at most RATE bytes per second from the sources, all blobs together (e.g. 20M, 500K)' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand copy" -l referrers-type -d 'Copy only the referrers of artifact type TYPE (e.g. application/spdx+json); repeatable' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand copy" -l verify-key -d 'Copy only images carrying a cosign signature by the public key in FILE (PEM, ECDSA P-256)' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand copy" -l verify-policy -d 'Copy only images the trust policy in FILE accepts (notation\'s trustpolicy.json)' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand copy" -l trust-store -d 'Read the trust policy\'s named trust stores from DIR (notation\'s trust store layout)' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand copy" -l src-ca-cert -d 'Trust FILE (PEM or DER) for the source registries' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand copy" -l dst-ca-cert -d 'Trust FILE (PEM or DER) for the destination registries' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand copy" -l format -d 'Print the result as FORMAT' -r -f -a "text\t'Lines meant for people'
json\t'One JSON object, for scripts'"
complete -c aseecr -n "__fish_aseecr_using_subcommand copy" -l color -d 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always, also into a pipe or file'
never\t'Never'"
complete -c aseecr -n "__fish_aseecr_using_subcommand copy" -l registry -d 'Use REGISTRY (host[:port]) for references that name no registry' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand copy" -l ca-cert -d 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand copy" -s u -l username -d 'Authenticate as USER instead of using stored credentials' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand copy" -l config-dir -d 'Read and write aseecr\'s configuration in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand copy" -l docker-config -d 'Read and write docker credentials (config.json) in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand copy" -l all-tags -d 'Copy every tag of the source repository'
complete -c aseecr -n "__fish_aseecr_using_subcommand copy" -l dry-run -d 'Print the plan (images, blobs to copy, bytes, blobs already there); write nothing'
complete -c aseecr -n "__fish_aseecr_using_subcommand copy" -l include-nondistributable -d 'Also copy foreign (non-distributable) layers, such as Windows base layers'
complete -c aseecr -n "__fish_aseecr_using_subcommand copy" -l prune-replaced -d 'Delete the digest a moved tag pointed at before, when no tag uses it any more'
complete -c aseecr -n "__fish_aseecr_using_subcommand copy" -l no-referrers -d 'Copy no referrers (signatures, SBOMs, attestations) or cosign tags along with the images'
complete -c aseecr -n "__fish_aseecr_using_subcommand copy" -l src-insecure -d 'Skip TLS verification for the source registries'
complete -c aseecr -n "__fish_aseecr_using_subcommand copy" -l src-plain-http -d 'Speak plain HTTP to the source registries'
complete -c aseecr -n "__fish_aseecr_using_subcommand copy" -l dst-insecure -d 'Skip TLS verification for the destination registries'
complete -c aseecr -n "__fish_aseecr_using_subcommand copy" -l dst-plain-http -d 'Speak plain HTTP to the destination registries'
complete -c aseecr -n "__fish_aseecr_using_subcommand copy" -s v -l verbose -d 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is'
complete -c aseecr -n "__fish_aseecr_using_subcommand copy" -s q -l quiet -d 'Print only data and errors'
complete -c aseecr -n "__fish_aseecr_using_subcommand copy" -l no-progress -d 'Hide progress bars'
complete -c aseecr -n "__fish_aseecr_using_subcommand copy" -s y -l yes -d 'Answer yes to every confirmation prompt'
complete -c aseecr -n "__fish_aseecr_using_subcommand copy" -l insecure -d 'Skip TLS certificate verification (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand copy" -l plain-http -d 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand copy" -l password-stdin -d 'Read the password from standard input (one line)'
complete -c aseecr -n "__fish_aseecr_using_subcommand copy" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aseecr -n "__fish_aseecr_using_subcommand copy" -s V -l version -d 'Print version'
complete -c aseecr -n "__fish_aseecr_using_subcommand sync" -s j -l jobs -d 'Copy up to N blobs at once per destination (blobs of 1 MiB or more: N/4, at least one) [default: 8, and 8 more per 25 ms of round trip to the sources, at most 64]' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand sync" -l limit-rate -d 'Read at most RATE bytes per second from the sources, all blobs together (e.g. 20M, 500K)' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand sync" -l referrers-type -d 'Copy only the referrers of artifact type TYPE (e.g. application/spdx+json); repeatable' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand sync" -l verify-key -d 'Copy only images carrying a cosign signature by the public key in FILE (PEM, ECDSA P-256)' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand sync" -l verify-policy -d 'Copy only images the trust policy in FILE accepts (notation\'s trustpolicy.json)' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand sync" -l trust-store -d 'Read the trust policy\'s named trust stores from DIR (notation\'s trust store layout)' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand sync" -l src-ca-cert -d 'Trust FILE (PEM or DER) for the source registries' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand sync" -l dst-ca-cert -d 'Trust FILE (PEM or DER) for the destination registries' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand sync" -l format -d 'Print the result as FORMAT' -r -f -a "text\t'Lines meant for people'
json\t'One JSON object, for scripts'"
complete -c aseecr -n "__fish_aseecr_using_subcommand sync" -l color -d 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always, also into a pipe or file'
never\t'Never'"
complete -c aseecr -n "__fish_aseecr_using_subcommand sync" -l registry -d 'Use REGISTRY (host[:port]) for references that name no registry' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand sync" -l ca-cert -d 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand sync" -s u -l username -d 'Authenticate as USER instead of using stored credentials' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand sync" -l config-dir -d 'Read and write aseecr\'s configuration in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand sync" -l docker-config -d 'Read and write docker credentials (config.json) in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand sync" -l dry-run -d 'Print the plan for every destination (images, blobs to copy); write nothing'
complete -c aseecr -n "__fish_aseecr_using_subcommand sync" -l check -d 'Like --dry-run, and exit 10 when something would be copied or pruned, 0 when all is up to date'
complete -c aseecr -n "__fish_aseecr_using_subcommand sync" -l no-referrers -d 'Copy no referrers (signatures, SBOMs, attestations) or cosign tags along with the images'
complete -c aseecr -n "__fish_aseecr_using_subcommand sync" -l src-insecure -d 'Skip TLS verification for the source registries'
complete -c aseecr -n "__fish_aseecr_using_subcommand sync" -l src-plain-http -d 'Speak plain HTTP to the source registries'
complete -c aseecr -n "__fish_aseecr_using_subcommand sync" -l dst-insecure -d 'Skip TLS verification for the destination registries'
complete -c aseecr -n "__fish_aseecr_using_subcommand sync" -l dst-plain-http -d 'Speak plain HTTP to the destination registries'
complete -c aseecr -n "__fish_aseecr_using_subcommand sync" -s v -l verbose -d 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is'
complete -c aseecr -n "__fish_aseecr_using_subcommand sync" -s q -l quiet -d 'Print only data and errors'
complete -c aseecr -n "__fish_aseecr_using_subcommand sync" -l no-progress -d 'Hide progress bars'
complete -c aseecr -n "__fish_aseecr_using_subcommand sync" -s y -l yes -d 'Answer yes to every confirmation prompt'
complete -c aseecr -n "__fish_aseecr_using_subcommand sync" -l insecure -d 'Skip TLS certificate verification (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand sync" -l plain-http -d 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand sync" -l password-stdin -d 'Read the password from standard input (one line)'
complete -c aseecr -n "__fish_aseecr_using_subcommand sync" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aseecr -n "__fish_aseecr_using_subcommand sync" -s V -l version -d 'Print version'
complete -c aseecr -n "__fish_aseecr_using_subcommand catalog" -l format -d 'Print the result as FORMAT' -r -f -a "text\t'Lines meant for people'
json\t'One JSON object, for scripts'"
complete -c aseecr -n "__fish_aseecr_using_subcommand catalog" -l color -d 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always, also into a pipe or file'
never\t'Never'"
complete -c aseecr -n "__fish_aseecr_using_subcommand catalog" -l ca-cert -d 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand catalog" -s u -l username -d 'Authenticate as USER instead of using stored credentials' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand catalog" -l config-dir -d 'Read and write aseecr\'s configuration in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand catalog" -l docker-config -d 'Read and write docker credentials (config.json) in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand catalog" -s v -l verbose -d 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is'
complete -c aseecr -n "__fish_aseecr_using_subcommand catalog" -s q -l quiet -d 'Print only data and errors'
complete -c aseecr -n "__fish_aseecr_using_subcommand catalog" -l no-progress -d 'Hide progress bars'
complete -c aseecr -n "__fish_aseecr_using_subcommand catalog" -s y -l yes -d 'Answer yes to every confirmation prompt'
complete -c aseecr -n "__fish_aseecr_using_subcommand catalog" -l insecure -d 'Skip TLS certificate verification (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand catalog" -l plain-http -d 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand catalog" -l password-stdin -d 'Read the password from standard input (one line)'
complete -c aseecr -n "__fish_aseecr_using_subcommand catalog" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aseecr -n "__fish_aseecr_using_subcommand catalog" -s V -l version -d 'Print version'
complete -c aseecr -n "__fish_aseecr_using_subcommand tags" -l sort -d 'Order by tag name (versions in numeric order) or by creation time, newest first' -r -f -a "name\t''
time\t''"
complete -c aseecr -n "__fish_aseecr_using_subcommand tags" -l format -d 'Print the result as FORMAT' -r -f -a "text\t'Lines meant for people'
json\t'One JSON object, for scripts'"
complete -c aseecr -n "__fish_aseecr_using_subcommand tags" -l color -d 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always, also into a pipe or file'
never\t'Never'"
complete -c aseecr -n "__fish_aseecr_using_subcommand tags" -l registry -d 'Use REGISTRY (host[:port]) for references that name no registry' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand tags" -l ca-cert -d 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand tags" -s u -l username -d 'Authenticate as USER instead of using stored credentials' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand tags" -l config-dir -d 'Read and write aseecr\'s configuration in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand tags" -l docker-config -d 'Read and write docker credentials (config.json) in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand tags" -s l -l long -l detail -d 'Show each tag\'s digest, creation time, size and platforms, newest first'
complete -c aseecr -n "__fish_aseecr_using_subcommand tags" -l attachments -d 'List the attachment tags instead: referrers indexes (sha256-<hex>) and cosign signatures, attestations and SBOMs (sha256-<hex>.sig, .att, .sbom)'
complete -c aseecr -n "__fish_aseecr_using_subcommand tags" -s v -l verbose -d 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is'
complete -c aseecr -n "__fish_aseecr_using_subcommand tags" -s q -l quiet -d 'Print only data and errors'
complete -c aseecr -n "__fish_aseecr_using_subcommand tags" -l no-progress -d 'Hide progress bars'
complete -c aseecr -n "__fish_aseecr_using_subcommand tags" -s y -l yes -d 'Answer yes to every confirmation prompt'
complete -c aseecr -n "__fish_aseecr_using_subcommand tags" -l insecure -d 'Skip TLS certificate verification (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand tags" -l plain-http -d 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand tags" -l password-stdin -d 'Read the password from standard input (one line)'
complete -c aseecr -n "__fish_aseecr_using_subcommand tags" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aseecr -n "__fish_aseecr_using_subcommand tags" -s V -l version -d 'Print version'
complete -c aseecr -n "__fish_aseecr_using_subcommand ls" -l sort -d 'Order by tag name (versions in numeric order) or by creation time, newest first' -r -f -a "name\t''
time\t''"
complete -c aseecr -n "__fish_aseecr_using_subcommand ls" -l format -d 'Print the result as FORMAT' -r -f -a "text\t'Lines meant for people'
json\t'One JSON object, for scripts'"
complete -c aseecr -n "__fish_aseecr_using_subcommand ls" -l color -d 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always, also into a pipe or file'
never\t'Never'"
complete -c aseecr -n "__fish_aseecr_using_subcommand ls" -l registry -d 'Use REGISTRY (host[:port]) for references that name no registry' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand ls" -l ca-cert -d 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand ls" -s u -l username -d 'Authenticate as USER instead of using stored credentials' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand ls" -l config-dir -d 'Read and write aseecr\'s configuration in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand ls" -l docker-config -d 'Read and write docker credentials (config.json) in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand ls" -s l -l long -l detail -d 'Show each tag\'s digest, creation time, size and platforms, newest first'
complete -c aseecr -n "__fish_aseecr_using_subcommand ls" -l attachments -d 'List the attachment tags instead: referrers indexes (sha256-<hex>) and cosign signatures, attestations and SBOMs (sha256-<hex>.sig, .att, .sbom)'
complete -c aseecr -n "__fish_aseecr_using_subcommand ls" -s v -l verbose -d 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is'
complete -c aseecr -n "__fish_aseecr_using_subcommand ls" -s q -l quiet -d 'Print only data and errors'
complete -c aseecr -n "__fish_aseecr_using_subcommand ls" -l no-progress -d 'Hide progress bars'
complete -c aseecr -n "__fish_aseecr_using_subcommand ls" -s y -l yes -d 'Answer yes to every confirmation prompt'
complete -c aseecr -n "__fish_aseecr_using_subcommand ls" -l insecure -d 'Skip TLS certificate verification (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand ls" -l plain-http -d 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand ls" -l password-stdin -d 'Read the password from standard input (one line)'
complete -c aseecr -n "__fish_aseecr_using_subcommand ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aseecr -n "__fish_aseecr_using_subcommand ls" -s V -l version -d 'Print version'
complete -c aseecr -n "__fish_aseecr_using_subcommand inspect" -l platform -d 'Of a multi-platform image, inspect PLATFORM (os/arch[/variant]) only (no default applies)' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand inspect" -l format -d 'Print the result as FORMAT' -r -f -a "text\t'Lines meant for people'
json\t'One JSON object, for scripts'"
complete -c aseecr -n "__fish_aseecr_using_subcommand inspect" -l color -d 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always, also into a pipe or file'
never\t'Never'"
complete -c aseecr -n "__fish_aseecr_using_subcommand inspect" -l registry -d 'Use REGISTRY (host[:port]) for references that name no registry' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand inspect" -l ca-cert -d 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand inspect" -s u -l username -d 'Authenticate as USER instead of using stored credentials' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand inspect" -l config-dir -d 'Read and write aseecr\'s configuration in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand inspect" -l docker-config -d 'Read and write docker credentials (config.json) in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand inspect" -l raw -d 'Print the manifest bytes exactly as the registry sent them (with --config: the config\'s)'
complete -c aseecr -n "__fish_aseecr_using_subcommand inspect" -l config -d 'Show the image\'s configuration: entrypoint, command, environment, labels, created'
complete -c aseecr -n "__fish_aseecr_using_subcommand inspect" -l referrers -d 'Show what hangs off the image and each of its platform manifests: signatures, SBOMs, attestations (and their own referrers), and cosign tags'
complete -c aseecr -n "__fish_aseecr_using_subcommand inspect" -s v -l verbose -d 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is'
complete -c aseecr -n "__fish_aseecr_using_subcommand inspect" -s q -l quiet -d 'Print only data and errors'
complete -c aseecr -n "__fish_aseecr_using_subcommand inspect" -l no-progress -d 'Hide progress bars'
complete -c aseecr -n "__fish_aseecr_using_subcommand inspect" -s y -l yes -d 'Answer yes to every confirmation prompt'
complete -c aseecr -n "__fish_aseecr_using_subcommand inspect" -l insecure -d 'Skip TLS certificate verification (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand inspect" -l plain-http -d 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand inspect" -l password-stdin -d 'Read the password from standard input (one line)'
complete -c aseecr -n "__fish_aseecr_using_subcommand inspect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aseecr -n "__fish_aseecr_using_subcommand inspect" -s V -l version -d 'Print version'
complete -c aseecr -n "__fish_aseecr_using_subcommand digest" -l platform -d 'Of a multi-platform image, print the digest of PLATFORM (os/arch[/variant]) (no default applies)' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand digest" -l format -d 'Print the result as FORMAT' -r -f -a "text\t'Lines meant for people'
json\t'One JSON object, for scripts'"
complete -c aseecr -n "__fish_aseecr_using_subcommand digest" -l color -d 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always, also into a pipe or file'
never\t'Never'"
complete -c aseecr -n "__fish_aseecr_using_subcommand digest" -l registry -d 'Use REGISTRY (host[:port]) for references that name no registry' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand digest" -l ca-cert -d 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand digest" -s u -l username -d 'Authenticate as USER instead of using stored credentials' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand digest" -l config-dir -d 'Read and write aseecr\'s configuration in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand digest" -l docker-config -d 'Read and write docker credentials (config.json) in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand digest" -s v -l verbose -d 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is'
complete -c aseecr -n "__fish_aseecr_using_subcommand digest" -s q -l quiet -d 'Print only data and errors'
complete -c aseecr -n "__fish_aseecr_using_subcommand digest" -l no-progress -d 'Hide progress bars'
complete -c aseecr -n "__fish_aseecr_using_subcommand digest" -s y -l yes -d 'Answer yes to every confirmation prompt'
complete -c aseecr -n "__fish_aseecr_using_subcommand digest" -l insecure -d 'Skip TLS certificate verification (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand digest" -l plain-http -d 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand digest" -l password-stdin -d 'Read the password from standard input (one line)'
complete -c aseecr -n "__fish_aseecr_using_subcommand digest" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aseecr -n "__fish_aseecr_using_subcommand digest" -s V -l version -d 'Print version'
complete -c aseecr -n "__fish_aseecr_using_subcommand verify" -l verify-key -d 'Require a cosign signature by the public key in FILE (PEM, ECDSA P-256)' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand verify" -l verify-policy -d 'Apply the trust policy in FILE (notation\'s trustpolicy.json)' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand verify" -l trust-store -d 'Read the policy\'s named trust stores from DIR (notation\'s trust store layout)' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand verify" -l scope -d 'For an image in a layout: the repository (host[:port]/path) whose trust policy statement applies, as notation\'s --scope (default: only the "*" statement)' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand verify" -l format -d 'Print the result as FORMAT' -r -f -a "text\t'Lines meant for people'
json\t'One JSON object, for scripts'"
complete -c aseecr -n "__fish_aseecr_using_subcommand verify" -l color -d 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always, also into a pipe or file'
never\t'Never'"
complete -c aseecr -n "__fish_aseecr_using_subcommand verify" -l registry -d 'Use REGISTRY (host[:port]) for references that name no registry' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand verify" -l ca-cert -d 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand verify" -s u -l username -d 'Authenticate as USER instead of using stored credentials' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand verify" -l config-dir -d 'Read and write aseecr\'s configuration in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand verify" -l docker-config -d 'Read and write docker credentials (config.json) in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand verify" -s v -l verbose -d 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is'
complete -c aseecr -n "__fish_aseecr_using_subcommand verify" -s q -l quiet -d 'Print only data and errors'
complete -c aseecr -n "__fish_aseecr_using_subcommand verify" -l no-progress -d 'Hide progress bars'
complete -c aseecr -n "__fish_aseecr_using_subcommand verify" -s y -l yes -d 'Answer yes to every confirmation prompt'
complete -c aseecr -n "__fish_aseecr_using_subcommand verify" -l insecure -d 'Skip TLS certificate verification (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand verify" -l plain-http -d 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand verify" -l password-stdin -d 'Read the password from standard input (one line)'
complete -c aseecr -n "__fish_aseecr_using_subcommand verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aseecr -n "__fish_aseecr_using_subcommand verify" -s V -l version -d 'Print version'
complete -c aseecr -n "__fish_aseecr_using_subcommand usage" -l top -d 'Show the N largest images' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand usage" -l format -d 'Print the result as FORMAT' -r -f -a "text\t'Lines meant for people'
json\t'One JSON object, for scripts'"
complete -c aseecr -n "__fish_aseecr_using_subcommand usage" -l color -d 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always, also into a pipe or file'
never\t'Never'"
complete -c aseecr -n "__fish_aseecr_using_subcommand usage" -l registry -d 'Use REGISTRY (host[:port]) for references that name no registry' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand usage" -l ca-cert -d 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand usage" -s u -l username -d 'Authenticate as USER instead of using stored credentials' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand usage" -l config-dir -d 'Read and write aseecr\'s configuration in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand usage" -l docker-config -d 'Read and write docker credentials (config.json) in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand usage" -s v -l verbose -d 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is'
complete -c aseecr -n "__fish_aseecr_using_subcommand usage" -s q -l quiet -d 'Print only data and errors'
complete -c aseecr -n "__fish_aseecr_using_subcommand usage" -l no-progress -d 'Hide progress bars'
complete -c aseecr -n "__fish_aseecr_using_subcommand usage" -s y -l yes -d 'Answer yes to every confirmation prompt'
complete -c aseecr -n "__fish_aseecr_using_subcommand usage" -l insecure -d 'Skip TLS certificate verification (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand usage" -l plain-http -d 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand usage" -l password-stdin -d 'Read the password from standard input (one line)'
complete -c aseecr -n "__fish_aseecr_using_subcommand usage" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aseecr -n "__fish_aseecr_using_subcommand usage" -s V -l version -d 'Print version'
complete -c aseecr -n "__fish_aseecr_using_subcommand du" -l top -d 'Show the N largest images' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand du" -l format -d 'Print the result as FORMAT' -r -f -a "text\t'Lines meant for people'
json\t'One JSON object, for scripts'"
complete -c aseecr -n "__fish_aseecr_using_subcommand du" -l color -d 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always, also into a pipe or file'
never\t'Never'"
complete -c aseecr -n "__fish_aseecr_using_subcommand du" -l registry -d 'Use REGISTRY (host[:port]) for references that name no registry' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand du" -l ca-cert -d 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand du" -s u -l username -d 'Authenticate as USER instead of using stored credentials' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand du" -l config-dir -d 'Read and write aseecr\'s configuration in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand du" -l docker-config -d 'Read and write docker credentials (config.json) in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand du" -s v -l verbose -d 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is'
complete -c aseecr -n "__fish_aseecr_using_subcommand du" -s q -l quiet -d 'Print only data and errors'
complete -c aseecr -n "__fish_aseecr_using_subcommand du" -l no-progress -d 'Hide progress bars'
complete -c aseecr -n "__fish_aseecr_using_subcommand du" -s y -l yes -d 'Answer yes to every confirmation prompt'
complete -c aseecr -n "__fish_aseecr_using_subcommand du" -l insecure -d 'Skip TLS certificate verification (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand du" -l plain-http -d 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand du" -l password-stdin -d 'Read the password from standard input (one line)'
complete -c aseecr -n "__fish_aseecr_using_subcommand du" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aseecr -n "__fish_aseecr_using_subcommand du" -s V -l version -d 'Print version'
complete -c aseecr -n "__fish_aseecr_using_subcommand delete" -l format -d 'Print the result as FORMAT' -r -f -a "text\t'Lines meant for people'
json\t'One JSON object, for scripts'"
complete -c aseecr -n "__fish_aseecr_using_subcommand delete" -l color -d 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always, also into a pipe or file'
never\t'Never'"
complete -c aseecr -n "__fish_aseecr_using_subcommand delete" -l registry -d 'Use REGISTRY (host[:port]) for references that name no registry' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand delete" -l ca-cert -d 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand delete" -s u -l username -d 'Authenticate as USER instead of using stored credentials' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand delete" -l config-dir -d 'Read and write aseecr\'s configuration in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand delete" -l docker-config -d 'Read and write docker credentials (config.json) in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand delete" -l force -d 'Delete even when other tags share the digest (they are deleted too)'
complete -c aseecr -n "__fish_aseecr_using_subcommand delete" -l dry-run -d 'Print what would be deleted, and delete nothing'
complete -c aseecr -n "__fish_aseecr_using_subcommand delete" -s v -l verbose -d 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is'
complete -c aseecr -n "__fish_aseecr_using_subcommand delete" -s q -l quiet -d 'Print only data and errors'
complete -c aseecr -n "__fish_aseecr_using_subcommand delete" -l no-progress -d 'Hide progress bars'
complete -c aseecr -n "__fish_aseecr_using_subcommand delete" -s y -l yes -d 'Answer yes to every confirmation prompt'
complete -c aseecr -n "__fish_aseecr_using_subcommand delete" -l insecure -d 'Skip TLS certificate verification (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand delete" -l plain-http -d 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand delete" -l password-stdin -d 'Read the password from standard input (one line)'
complete -c aseecr -n "__fish_aseecr_using_subcommand delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aseecr -n "__fish_aseecr_using_subcommand delete" -s V -l version -d 'Print version'
complete -c aseecr -n "__fish_aseecr_using_subcommand rm" -l format -d 'Print the result as FORMAT' -r -f -a "text\t'Lines meant for people'
json\t'One JSON object, for scripts'"
complete -c aseecr -n "__fish_aseecr_using_subcommand rm" -l color -d 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always, also into a pipe or file'
never\t'Never'"
complete -c aseecr -n "__fish_aseecr_using_subcommand rm" -l registry -d 'Use REGISTRY (host[:port]) for references that name no registry' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand rm" -l ca-cert -d 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand rm" -s u -l username -d 'Authenticate as USER instead of using stored credentials' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand rm" -l config-dir -d 'Read and write aseecr\'s configuration in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand rm" -l docker-config -d 'Read and write docker credentials (config.json) in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand rm" -l force -d 'Delete even when other tags share the digest (they are deleted too)'
complete -c aseecr -n "__fish_aseecr_using_subcommand rm" -l dry-run -d 'Print what would be deleted, and delete nothing'
complete -c aseecr -n "__fish_aseecr_using_subcommand rm" -s v -l verbose -d 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is'
complete -c aseecr -n "__fish_aseecr_using_subcommand rm" -s q -l quiet -d 'Print only data and errors'
complete -c aseecr -n "__fish_aseecr_using_subcommand rm" -l no-progress -d 'Hide progress bars'
complete -c aseecr -n "__fish_aseecr_using_subcommand rm" -s y -l yes -d 'Answer yes to every confirmation prompt'
complete -c aseecr -n "__fish_aseecr_using_subcommand rm" -l insecure -d 'Skip TLS certificate verification (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand rm" -l plain-http -d 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand rm" -l password-stdin -d 'Read the password from standard input (one line)'
complete -c aseecr -n "__fish_aseecr_using_subcommand rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aseecr -n "__fish_aseecr_using_subcommand rm" -s V -l version -d 'Print version'
complete -c aseecr -n "__fish_aseecr_using_subcommand untag" -l format -d 'Print the result as FORMAT' -r -f -a "text\t'Lines meant for people'
json\t'One JSON object, for scripts'"
complete -c aseecr -n "__fish_aseecr_using_subcommand untag" -l color -d 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always, also into a pipe or file'
never\t'Never'"
complete -c aseecr -n "__fish_aseecr_using_subcommand untag" -l registry -d 'Use REGISTRY (host[:port]) for references that name no registry' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand untag" -l ca-cert -d 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand untag" -s u -l username -d 'Authenticate as USER instead of using stored credentials' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand untag" -l config-dir -d 'Read and write aseecr\'s configuration in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand untag" -l docker-config -d 'Read and write docker credentials (config.json) in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand untag" -l dry-run -d 'Print what would be removed, and change nothing'
complete -c aseecr -n "__fish_aseecr_using_subcommand untag" -s v -l verbose -d 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is'
complete -c aseecr -n "__fish_aseecr_using_subcommand untag" -s q -l quiet -d 'Print only data and errors'
complete -c aseecr -n "__fish_aseecr_using_subcommand untag" -l no-progress -d 'Hide progress bars'
complete -c aseecr -n "__fish_aseecr_using_subcommand untag" -s y -l yes -d 'Answer yes to every confirmation prompt'
complete -c aseecr -n "__fish_aseecr_using_subcommand untag" -l insecure -d 'Skip TLS certificate verification (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand untag" -l plain-http -d 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand untag" -l password-stdin -d 'Read the password from standard input (one line)'
complete -c aseecr -n "__fish_aseecr_using_subcommand untag" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aseecr -n "__fish_aseecr_using_subcommand untag" -s V -l version -d 'Print version'
complete -c aseecr -n "__fish_aseecr_using_subcommand prune" -l keep -d 'Keep the N newest of the matched tags, by creation time' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand prune" -l older-than -d 'Only remove tags created longer ago than AGE: 30d, 12h, 2w' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand prune" -l tags -d 'The policy applies only to tags matching REGEX (every tag if not given)' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand prune" -l exclude -d 'Never remove tags matching REGEX, such as \'^(latest|stable)$\'' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand prune" -l format -d 'Print the result as FORMAT' -r -f -a "text\t'Lines meant for people'
json\t'One JSON object, for scripts'"
complete -c aseecr -n "__fish_aseecr_using_subcommand prune" -l color -d 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always, also into a pipe or file'
never\t'Never'"
complete -c aseecr -n "__fish_aseecr_using_subcommand prune" -l registry -d 'Use REGISTRY (host[:port]) for references that name no registry' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand prune" -l ca-cert -d 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand prune" -s u -l username -d 'Authenticate as USER instead of using stored credentials' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand prune" -l config-dir -d 'Read and write aseecr\'s configuration in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand prune" -l docker-config -d 'Read and write docker credentials (config.json) in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand prune" -l all-repositories -d 'Every repository of the registry (named, or the configured one)'
complete -c aseecr -n "__fish_aseecr_using_subcommand prune" -l untagged -d 'Also delete untagged images that mirror replaced earlier (from aseecr\'s record)'
complete -c aseecr -n "__fish_aseecr_using_subcommand prune" -l dry-run -d 'Print the plan and what garbage collection would free, and change nothing'
complete -c aseecr -n "__fish_aseecr_using_subcommand prune" -s v -l verbose -d 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is'
complete -c aseecr -n "__fish_aseecr_using_subcommand prune" -s q -l quiet -d 'Print only data and errors'
complete -c aseecr -n "__fish_aseecr_using_subcommand prune" -l no-progress -d 'Hide progress bars'
complete -c aseecr -n "__fish_aseecr_using_subcommand prune" -s y -l yes -d 'Answer yes to every confirmation prompt'
complete -c aseecr -n "__fish_aseecr_using_subcommand prune" -l insecure -d 'Skip TLS certificate verification (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand prune" -l plain-http -d 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand prune" -l password-stdin -d 'Read the password from standard input (one line)'
complete -c aseecr -n "__fish_aseecr_using_subcommand prune" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aseecr -n "__fish_aseecr_using_subcommand prune" -s V -l version -d 'Print version'
complete -c aseecr -n "__fish_aseecr_using_subcommand doctor" -l hosts-file -d 'Compare name resolution with FILE instead of the system hosts file' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand doctor" -l root -d 'Look for the container clients\' certs.d folders inside DIR (as trust-cert --root)' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand doctor" -l format -d 'Print the result as FORMAT' -r -f -a "text\t'Lines meant for people'
json\t'One JSON object, for scripts'"
complete -c aseecr -n "__fish_aseecr_using_subcommand doctor" -l color -d 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always, also into a pipe or file'
never\t'Never'"
complete -c aseecr -n "__fish_aseecr_using_subcommand doctor" -l ca-cert -d 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand doctor" -s u -l username -d 'Authenticate as USER instead of using stored credentials' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand doctor" -l config-dir -d 'Read and write aseecr\'s configuration in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand doctor" -l docker-config -d 'Read and write docker credentials (config.json) in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand doctor" -s v -l verbose -d 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is'
complete -c aseecr -n "__fish_aseecr_using_subcommand doctor" -s q -l quiet -d 'Print only data and errors'
complete -c aseecr -n "__fish_aseecr_using_subcommand doctor" -l no-progress -d 'Hide progress bars'
complete -c aseecr -n "__fish_aseecr_using_subcommand doctor" -s y -l yes -d 'Answer yes to every confirmation prompt'
complete -c aseecr -n "__fish_aseecr_using_subcommand doctor" -l insecure -d 'Skip TLS certificate verification (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand doctor" -l plain-http -d 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand doctor" -l password-stdin -d 'Read the password from standard input (one line)'
complete -c aseecr -n "__fish_aseecr_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aseecr -n "__fish_aseecr_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and not __fish_seen_subcommand_from secret relocate cronjob help" -l color -d 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always, also into a pipe or file'
never\t'Never'"
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and not __fish_seen_subcommand_from secret relocate cronjob help" -l registry -d 'Use REGISTRY (host[:port]) for references that name no registry' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and not __fish_seen_subcommand_from secret relocate cronjob help" -l ca-cert -d 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and not __fish_seen_subcommand_from secret relocate cronjob help" -s u -l username -d 'Authenticate as USER instead of using stored credentials' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and not __fish_seen_subcommand_from secret relocate cronjob help" -l config-dir -d 'Read and write aseecr\'s configuration in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and not __fish_seen_subcommand_from secret relocate cronjob help" -l docker-config -d 'Read and write docker credentials (config.json) in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and not __fish_seen_subcommand_from secret relocate cronjob help" -s v -l verbose -d 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and not __fish_seen_subcommand_from secret relocate cronjob help" -s q -l quiet -d 'Print only data and errors'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and not __fish_seen_subcommand_from secret relocate cronjob help" -l no-progress -d 'Hide progress bars'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and not __fish_seen_subcommand_from secret relocate cronjob help" -s y -l yes -d 'Answer yes to every confirmation prompt'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and not __fish_seen_subcommand_from secret relocate cronjob help" -l insecure -d 'Skip TLS certificate verification (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and not __fish_seen_subcommand_from secret relocate cronjob help" -l plain-http -d 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and not __fish_seen_subcommand_from secret relocate cronjob help" -l password-stdin -d 'Read the password from standard input (one line)'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and not __fish_seen_subcommand_from secret relocate cronjob help" -s h -l help -d 'Print help'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and not __fish_seen_subcommand_from secret relocate cronjob help" -s V -l version -d 'Print version'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and not __fish_seen_subcommand_from secret relocate cronjob help" -f -a "secret" -d 'Print an image pull secret (kubernetes.io/dockerconfigjson) for the registry'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and not __fish_seen_subcommand_from secret relocate cronjob help" -f -a "relocate" -d 'Rewrite the container images of manifests to pull from the registry'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and not __fish_seen_subcommand_from secret relocate cronjob help" -f -a "cronjob" -d 'Print a CronJob that runs `aseecr sync FILE` on the cluster, on a schedule'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and not __fish_seen_subcommand_from secret relocate cronjob help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from secret" -s n -l namespace -d 'Put the secret in NAMESPACE (default: none, so kubectl\'s current namespace)' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from secret" -l name -d 'Name the secret NAME' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from secret" -s o -l output -d 'Write the secret to FILE (mode 0600) instead of stdout' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from secret" -l format -d 'Print the result as FORMAT' -r -f -a "text\t'Lines meant for people'
json\t'One JSON object, for scripts'"
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from secret" -l color -d 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always, also into a pipe or file'
never\t'Never'"
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from secret" -l ca-cert -d 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from secret" -s u -l username -d 'Authenticate as USER instead of using stored credentials' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from secret" -l config-dir -d 'Read and write aseecr\'s configuration in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from secret" -l docker-config -d 'Read and write docker credentials (config.json) in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from secret" -s v -l verbose -d 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from secret" -s q -l quiet -d 'Print only data and errors'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from secret" -l no-progress -d 'Hide progress bars'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from secret" -s y -l yes -d 'Answer yes to every confirmation prompt'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from secret" -l insecure -d 'Skip TLS certificate verification (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from secret" -l plain-http -d 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from secret" -l password-stdin -d 'Read the password from standard input (one line)'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from secret" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from secret" -s V -l version -d 'Print version'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from relocate" -l pull-secret -d 'Add the image pull secret NAME to pod specs that lack it' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from relocate" -l referrers-type -d 'Copy only the referrers of artifact type TYPE (e.g. application/spdx+json); repeatable' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from relocate" -l verify-key -d 'Copy only images carrying a cosign signature by the public key in FILE (PEM, ECDSA P-256)' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from relocate" -l verify-policy -d 'Copy only images the trust policy in FILE accepts (notation\'s trustpolicy.json)' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from relocate" -l trust-store -d 'Read the trust policy\'s named trust stores from DIR (notation\'s trust store layout)' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from relocate" -l src-ca-cert -d 'Trust FILE (PEM or DER) for the source registries' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from relocate" -l dst-ca-cert -d 'Trust FILE (PEM or DER) for the destination registries' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from relocate" -l format -d 'Print the result as FORMAT' -r -f -a "text\t'Lines meant for people'
json\t'One JSON object, for scripts'"
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from relocate" -l color -d 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always, also into a pipe or file'
never\t'Never'"
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from relocate" -l registry -d 'Use REGISTRY (host[:port]) for references that name no registry' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from relocate" -l ca-cert -d 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from relocate" -s u -l username -d 'Authenticate as USER instead of using stored credentials' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from relocate" -l config-dir -d 'Read and write aseecr\'s configuration in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from relocate" -l docker-config -d 'Read and write docker credentials (config.json) in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from relocate" -l no-pull-secret -d 'Leave imagePullSecrets alone'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from relocate" -s i -l in-place -d 'Rewrite the files in place instead of printing the result'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from relocate" -l pin -d 'Pin each image to its digest in the registry (`REGISTRY/path:tag@sha256:...`)'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from relocate" -l mirror -d 'Mirror every referenced image to the registry first (as `aseecr mirror` does)'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from relocate" -l require-present -d 'Fail (exit 4, nothing written) when the registry lacks a relocated image or cannot be asked; without it each missing image is a warning'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from relocate" -l no-referrers -d 'Copy no referrers (signatures, SBOMs, attestations) or cosign tags along with the images'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from relocate" -l src-insecure -d 'Skip TLS verification for the source registries'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from relocate" -l src-plain-http -d 'Speak plain HTTP to the source registries'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from relocate" -l dst-insecure -d 'Skip TLS verification for the destination registries'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from relocate" -l dst-plain-http -d 'Speak plain HTTP to the destination registries'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from relocate" -s v -l verbose -d 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from relocate" -s q -l quiet -d 'Print only data and errors'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from relocate" -l no-progress -d 'Hide progress bars'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from relocate" -s y -l yes -d 'Answer yes to every confirmation prompt'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from relocate" -l insecure -d 'Skip TLS certificate verification (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from relocate" -l plain-http -d 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from relocate" -l password-stdin -d 'Read the password from standard input (one line)'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from relocate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from relocate" -s V -l version -d 'Print version'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from cronjob" -l schedule -d 'Run on SCHEDULE: five cron fields (minute hour day-of-month month day-of-week) or @daily' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from cronjob" -l time-zone -d 'Interpret the schedule in ZONE, e.g. Europe/Berlin (default: the cluster\'s, usually UTC)' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from cronjob" -l name -d 'Name the CronJob and its ConfigMap NAME' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from cronjob" -s n -l namespace -d 'Put the objects in NAMESPACE (default: none, so kubectl\'s current namespace)' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from cronjob" -l image -d 'Run the aseecr image IMAGE (default: REGISTRY/aseecr:VERSION, the configured registry)' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from cronjob" -l secret -d 'Read the passwords (`passwordEnv`) from the Secret NAME (default: NAME-passwords)' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from cronjob" -l pull-secret -d 'Pull the image with the pull secret NAME (default: ase-ecr-credentials for an image on the configured registry or a destination)' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from cronjob" -l login-secret -d 'Log in to the destinations without `credentials` in the file with the docker config of the pull secret NAME (a kubernetes.io/dockerconfigjson Secret)' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from cronjob" -l limit-rate -d 'Pass --limit-rate RATE to `aseecr sync`: at most RATE bytes per second from the sources' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from cronjob" -l referrers-type -d 'Copy only the referrers of artifact type TYPE (e.g. application/spdx+json); repeatable' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from cronjob" -l verify-key -d 'Copy only images carrying a cosign signature by the public key in FILE (PEM, ECDSA P-256)' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from cronjob" -l verify-policy -d 'Copy only images the trust policy in FILE accepts (notation\'s trustpolicy.json)' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from cronjob" -l trust-store -d 'Read the trust policy\'s named trust stores from DIR (notation\'s trust store layout)' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from cronjob" -l src-ca-cert -d 'Trust FILE (PEM or DER) for the source registries' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from cronjob" -l dst-ca-cert -d 'Trust FILE (PEM or DER) for the destination registries' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from cronjob" -l format -d 'Print the result as FORMAT' -r -f -a "text\t'Lines meant for people'
json\t'One JSON object, for scripts'"
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from cronjob" -l color -d 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always, also into a pipe or file'
never\t'Never'"
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from cronjob" -l registry -d 'Use REGISTRY (host[:port]) for references that name no registry' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from cronjob" -l ca-cert -d 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from cronjob" -s u -l username -d 'Authenticate as USER instead of using stored credentials' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from cronjob" -l config-dir -d 'Read and write aseecr\'s configuration in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from cronjob" -l docker-config -d 'Read and write docker credentials (config.json) in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from cronjob" -l no-pull-secret -d 'Add no imagePullSecrets'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from cronjob" -l no-login-secret -d 'Mount no login Secret: destinations without `credentials` are reached without a login'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from cronjob" -l no-referrers -d 'Copy no referrers (signatures, SBOMs, attestations) or cosign tags along with the images'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from cronjob" -l src-insecure -d 'Skip TLS verification for the source registries'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from cronjob" -l src-plain-http -d 'Speak plain HTTP to the source registries'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from cronjob" -l dst-insecure -d 'Skip TLS verification for the destination registries'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from cronjob" -l dst-plain-http -d 'Speak plain HTTP to the destination registries'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from cronjob" -s v -l verbose -d 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from cronjob" -s q -l quiet -d 'Print only data and errors'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from cronjob" -l no-progress -d 'Hide progress bars'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from cronjob" -s y -l yes -d 'Answer yes to every confirmation prompt'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from cronjob" -l insecure -d 'Skip TLS certificate verification (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from cronjob" -l plain-http -d 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from cronjob" -l password-stdin -d 'Read the password from standard input (one line)'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from cronjob" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from cronjob" -s V -l version -d 'Print version'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from help" -f -a "secret" -d 'Print an image pull secret (kubernetes.io/dockerconfigjson) for the registry'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from help" -f -a "relocate" -d 'Rewrite the container images of manifests to pull from the registry'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from help" -f -a "cronjob" -d 'Print a CronJob that runs `aseecr sync FILE` on the cluster, on a schedule'
complete -c aseecr -n "__fish_aseecr_using_subcommand k8s; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -l color -d 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always, also into a pipe or file'
never\t'Never'"
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -l registry -d 'Use REGISTRY (host[:port]) for references that name no registry' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -l ca-cert -d 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -s u -l username -d 'Authenticate as USER instead of using stored credentials' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -l config-dir -d 'Read and write aseecr\'s configuration in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -l docker-config -d 'Read and write docker credentials (config.json) in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -s v -l verbose -d 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -s q -l quiet -d 'Print only data and errors'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -l no-progress -d 'Hide progress bars'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -s y -l yes -d 'Answer yes to every confirmation prompt'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -l insecure -d 'Skip TLS certificate verification (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -l plain-http -d 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -l password-stdin -d 'Read the password from standard input (one line)'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -s h -l help -d 'Print help'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -s V -l version -d 'Print version'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -f -a "set" -d 'Set KEY to VALUE (keys: registry, platform, verify-policy, trust-store)'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -f -a "get" -d 'Print the value of KEY'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -f -a "unset" -d 'Remove KEY, going back to its default'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -f -a "list" -d 'Print every setting and the registries aseecr remembers'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -f -a "path" -d 'Print the path of the configuration file'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from set" -l format -d 'Print the result as FORMAT' -r -f -a "text\t'Lines meant for people'
json\t'One JSON object, for scripts'"
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from set" -l color -d 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always, also into a pipe or file'
never\t'Never'"
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from set" -l registry -d 'Use REGISTRY (host[:port]) for references that name no registry' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from set" -l ca-cert -d 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from set" -s u -l username -d 'Authenticate as USER instead of using stored credentials' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from set" -l config-dir -d 'Read and write aseecr\'s configuration in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from set" -l docker-config -d 'Read and write docker credentials (config.json) in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from set" -s v -l verbose -d 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Print only data and errors'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from set" -l no-progress -d 'Hide progress bars'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from set" -s y -l yes -d 'Answer yes to every confirmation prompt'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from set" -l insecure -d 'Skip TLS certificate verification (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from set" -l plain-http -d 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from set" -l password-stdin -d 'Read the password from standard input (one line)'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from get" -l format -d 'Print the result as FORMAT' -r -f -a "text\t'Lines meant for people'
json\t'One JSON object, for scripts'"
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from get" -l color -d 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always, also into a pipe or file'
never\t'Never'"
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from get" -l registry -d 'Use REGISTRY (host[:port]) for references that name no registry' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from get" -l ca-cert -d 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from get" -s u -l username -d 'Authenticate as USER instead of using stored credentials' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from get" -l config-dir -d 'Read and write aseecr\'s configuration in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from get" -l docker-config -d 'Read and write docker credentials (config.json) in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from get" -s v -l verbose -d 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from get" -s q -l quiet -d 'Print only data and errors'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from get" -l no-progress -d 'Hide progress bars'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from get" -s y -l yes -d 'Answer yes to every confirmation prompt'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from get" -l insecure -d 'Skip TLS certificate verification (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from get" -l plain-http -d 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from get" -l password-stdin -d 'Read the password from standard input (one line)'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from get" -s V -l version -d 'Print version'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from unset" -l format -d 'Print the result as FORMAT' -r -f -a "text\t'Lines meant for people'
json\t'One JSON object, for scripts'"
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from unset" -l color -d 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always, also into a pipe or file'
never\t'Never'"
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from unset" -l registry -d 'Use REGISTRY (host[:port]) for references that name no registry' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from unset" -l ca-cert -d 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from unset" -s u -l username -d 'Authenticate as USER instead of using stored credentials' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from unset" -l config-dir -d 'Read and write aseecr\'s configuration in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from unset" -l docker-config -d 'Read and write docker credentials (config.json) in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from unset" -s v -l verbose -d 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from unset" -s q -l quiet -d 'Print only data and errors'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from unset" -l no-progress -d 'Hide progress bars'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from unset" -s y -l yes -d 'Answer yes to every confirmation prompt'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from unset" -l insecure -d 'Skip TLS certificate verification (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from unset" -l plain-http -d 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from unset" -l password-stdin -d 'Read the password from standard input (one line)'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from unset" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from unset" -s V -l version -d 'Print version'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from list" -l format -d 'Print the result as FORMAT' -r -f -a "text\t'Lines meant for people'
json\t'One JSON object, for scripts'"
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from list" -l color -d 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always, also into a pipe or file'
never\t'Never'"
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from list" -l registry -d 'Use REGISTRY (host[:port]) for references that name no registry' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from list" -l ca-cert -d 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from list" -s u -l username -d 'Authenticate as USER instead of using stored credentials' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from list" -l config-dir -d 'Read and write aseecr\'s configuration in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from list" -l docker-config -d 'Read and write docker credentials (config.json) in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only data and errors'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from list" -l no-progress -d 'Hide progress bars'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to every confirmation prompt'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from list" -l insecure -d 'Skip TLS certificate verification (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from list" -l plain-http -d 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from list" -l password-stdin -d 'Read the password from standard input (one line)'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from path" -l format -d 'Print the result as FORMAT' -r -f -a "text\t'Lines meant for people'
json\t'One JSON object, for scripts'"
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from path" -l color -d 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always, also into a pipe or file'
never\t'Never'"
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from path" -l registry -d 'Use REGISTRY (host[:port]) for references that name no registry' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from path" -l ca-cert -d 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from path" -s u -l username -d 'Authenticate as USER instead of using stored credentials' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from path" -l config-dir -d 'Read and write aseecr\'s configuration in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from path" -l docker-config -d 'Read and write docker credentials (config.json) in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from path" -s v -l verbose -d 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from path" -s q -l quiet -d 'Print only data and errors'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from path" -l no-progress -d 'Hide progress bars'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from path" -s y -l yes -d 'Answer yes to every confirmation prompt'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from path" -l insecure -d 'Skip TLS certificate verification (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from path" -l plain-http -d 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from path" -l password-stdin -d 'Read the password from standard input (one line)'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from path" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from path" -s V -l version -d 'Print version'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "set" -d 'Set KEY to VALUE (keys: registry, platform, verify-policy, trust-store)'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "get" -d 'Print the value of KEY'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "unset" -d 'Remove KEY, going back to its default'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "list" -d 'Print every setting and the registries aseecr remembers'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "path" -d 'Print the path of the configuration file'
complete -c aseecr -n "__fish_aseecr_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aseecr -n "__fish_aseecr_using_subcommand completions" -l format -d 'Print the result as FORMAT' -r -f -a "text\t'Lines meant for people'
json\t'One JSON object, for scripts'"
complete -c aseecr -n "__fish_aseecr_using_subcommand completions" -l color -d 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always, also into a pipe or file'
never\t'Never'"
complete -c aseecr -n "__fish_aseecr_using_subcommand completions" -l registry -d 'Use REGISTRY (host[:port]) for references that name no registry' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand completions" -l ca-cert -d 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand completions" -s u -l username -d 'Authenticate as USER instead of using stored credentials' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand completions" -l config-dir -d 'Read and write aseecr\'s configuration in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand completions" -l docker-config -d 'Read and write docker credentials (config.json) in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand completions" -s v -l verbose -d 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is'
complete -c aseecr -n "__fish_aseecr_using_subcommand completions" -s q -l quiet -d 'Print only data and errors'
complete -c aseecr -n "__fish_aseecr_using_subcommand completions" -l no-progress -d 'Hide progress bars'
complete -c aseecr -n "__fish_aseecr_using_subcommand completions" -s y -l yes -d 'Answer yes to every confirmation prompt'
complete -c aseecr -n "__fish_aseecr_using_subcommand completions" -l insecure -d 'Skip TLS certificate verification (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand completions" -l plain-http -d 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand completions" -l password-stdin -d 'Read the password from standard input (one line)'
complete -c aseecr -n "__fish_aseecr_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aseecr -n "__fish_aseecr_using_subcommand completions" -s V -l version -d 'Print version'
complete -c aseecr -n "__fish_aseecr_using_subcommand version" -l format -d 'Print the result as FORMAT' -r -f -a "text\t'Lines meant for people'
json\t'One JSON object, for scripts'"
complete -c aseecr -n "__fish_aseecr_using_subcommand version" -l color -d 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always, also into a pipe or file'
never\t'Never'"
complete -c aseecr -n "__fish_aseecr_using_subcommand version" -l registry -d 'Use REGISTRY (host[:port]) for references that name no registry' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand version" -l ca-cert -d 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand version" -s u -l username -d 'Authenticate as USER instead of using stored credentials' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand version" -l config-dir -d 'Read and write aseecr\'s configuration in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand version" -l docker-config -d 'Read and write docker credentials (config.json) in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand version" -s v -l verbose -d 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is'
complete -c aseecr -n "__fish_aseecr_using_subcommand version" -s q -l quiet -d 'Print only data and errors'
complete -c aseecr -n "__fish_aseecr_using_subcommand version" -l no-progress -d 'Hide progress bars'
complete -c aseecr -n "__fish_aseecr_using_subcommand version" -s y -l yes -d 'Answer yes to every confirmation prompt'
complete -c aseecr -n "__fish_aseecr_using_subcommand version" -l insecure -d 'Skip TLS certificate verification (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand version" -l plain-http -d 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand version" -l password-stdin -d 'Read the password from standard input (one line)'
complete -c aseecr -n "__fish_aseecr_using_subcommand version" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aseecr -n "__fish_aseecr_using_subcommand version" -s V -l version -d 'Print version'
complete -c aseecr -n "__fish_aseecr_using_subcommand man" -l color -d 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always, also into a pipe or file'
never\t'Never'"
complete -c aseecr -n "__fish_aseecr_using_subcommand man" -l registry -d 'Use REGISTRY (host[:port]) for references that name no registry' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand man" -l ca-cert -d 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand man" -s u -l username -d 'Authenticate as USER instead of using stored credentials' -r
complete -c aseecr -n "__fish_aseecr_using_subcommand man" -l config-dir -d 'Read and write aseecr\'s configuration in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand man" -l docker-config -d 'Read and write docker credentials (config.json) in DIR' -r -F
complete -c aseecr -n "__fish_aseecr_using_subcommand man" -s v -l verbose -d 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is'
complete -c aseecr -n "__fish_aseecr_using_subcommand man" -s q -l quiet -d 'Print only data and errors'
complete -c aseecr -n "__fish_aseecr_using_subcommand man" -l no-progress -d 'Hide progress bars'
complete -c aseecr -n "__fish_aseecr_using_subcommand man" -s y -l yes -d 'Answer yes to every confirmation prompt'
complete -c aseecr -n "__fish_aseecr_using_subcommand man" -l insecure -d 'Skip TLS certificate verification (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand man" -l plain-http -d 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)'
complete -c aseecr -n "__fish_aseecr_using_subcommand man" -l password-stdin -d 'Read the password from standard input (one line)'
complete -c aseecr -n "__fish_aseecr_using_subcommand man" -s h -l help -d 'Print help'
complete -c aseecr -n "__fish_aseecr_using_subcommand man" -s V -l version -d 'Print version'
complete -c aseecr -n "__fish_aseecr_using_subcommand help; and not __fish_seen_subcommand_from setup setup-host trust-cert login logout mirror sync catalog tags inspect digest verify usage delete untag prune doctor k8s config completions version man help" -f -a "setup" -d 'Set up this machine for a device\'s registry: hosts entry, certificate, login, check'
complete -c aseecr -n "__fish_aseecr_using_subcommand help; and not __fish_seen_subcommand_from setup setup-host trust-cert login logout mirror sync catalog tags inspect digest verify usage delete untag prune doctor k8s config completions version man help" -f -a "setup-host" -d 'Add, replace or remove the hosts-file entry for a registry'
complete -c aseecr -n "__fish_aseecr_using_subcommand help; and not __fish_seen_subcommand_from setup setup-host trust-cert login logout mirror sync catalog tags inspect digest verify usage delete untag prune doctor k8s config completions version man help" -f -a "trust-cert" -d 'Trust a registry\'s certificate in the OS store, container clients and aseecr'
complete -c aseecr -n "__fish_aseecr_using_subcommand help; and not __fish_seen_subcommand_from setup setup-host trust-cert login logout mirror sync catalog tags inspect digest verify usage delete untag prune doctor k8s config completions version man help" -f -a "login" -d 'Log in to a registry and store the credentials as docker does'
complete -c aseecr -n "__fish_aseecr_using_subcommand help; and not __fish_seen_subcommand_from setup setup-host trust-cert login logout mirror sync catalog tags inspect digest verify usage delete untag prune doctor k8s config completions version man help" -f -a "logout" -d 'Remove stored credentials for a registry'
complete -c aseecr -n "__fish_aseecr_using_subcommand help; and not __fish_seen_subcommand_from setup setup-host trust-cert login logout mirror sync catalog tags inspect digest verify usage delete untag prune doctor k8s config completions version man help" -f -a "mirror" -d 'Copy images from any registry to the edge registry, without a Docker engine'
complete -c aseecr -n "__fish_aseecr_using_subcommand help; and not __fish_seen_subcommand_from setup setup-host trust-cert login logout mirror sync catalog tags inspect digest verify usage delete untag prune doctor k8s config completions version man help" -f -a "sync" -d 'Copy the images a YAML file lists to every destination registry it names'
complete -c aseecr -n "__fish_aseecr_using_subcommand help; and not __fish_seen_subcommand_from setup setup-host trust-cert login logout mirror sync catalog tags inspect digest verify usage delete untag prune doctor k8s config completions version man help" -f -a "catalog" -d 'List the repositories of a registry'
complete -c aseecr -n "__fish_aseecr_using_subcommand help; and not __fish_seen_subcommand_from setup setup-host trust-cert login logout mirror sync catalog tags inspect digest verify usage delete untag prune doctor k8s config completions version man help" -f -a "tags" -d 'List the tags of a repository'
complete -c aseecr -n "__fish_aseecr_using_subcommand help; and not __fish_seen_subcommand_from setup setup-host trust-cert login logout mirror sync catalog tags inspect digest verify usage delete untag prune doctor k8s config completions version man help" -f -a "inspect" -d 'Show an image\'s digest, media type, platforms, layers and sizes'
complete -c aseecr -n "__fish_aseecr_using_subcommand help; and not __fish_seen_subcommand_from setup setup-host trust-cert login logout mirror sync catalog tags inspect digest verify usage delete untag prune doctor k8s config completions version man help" -f -a "digest" -d 'Print the digest an image reference resolves to'
complete -c aseecr -n "__fish_aseecr_using_subcommand help; and not __fish_seen_subcommand_from setup setup-host trust-cert login logout mirror sync catalog tags inspect digest verify usage delete untag prune doctor k8s config completions version man help" -f -a "verify" -d 'Check an image\'s signatures against a cosign key or notation\'s trust policy'
complete -c aseecr -n "__fish_aseecr_using_subcommand help; and not __fish_seen_subcommand_from setup setup-host trust-cert login logout mirror sync catalog tags inspect digest verify usage delete untag prune doctor k8s config completions version man help" -f -a "usage" -d 'Show the space each repository takes and shares, the total, and the largest images'
complete -c aseecr -n "__fish_aseecr_using_subcommand help; and not __fish_seen_subcommand_from setup setup-host trust-cert login logout mirror sync catalog tags inspect digest verify usage delete untag prune doctor k8s config completions version man help" -f -a "delete" -d 'Delete images safely, never removing a tag that was not named'
complete -c aseecr -n "__fish_aseecr_using_subcommand help; and not __fish_seen_subcommand_from setup setup-host trust-cert login logout mirror sync catalog tags inspect digest verify usage delete untag prune doctor k8s config completions version man help" -f -a "untag" -d 'Remove tags only, keeping every other tag and the image itself'
complete -c aseecr -n "__fish_aseecr_using_subcommand help; and not __fish_seen_subcommand_from setup setup-host trust-cert login logout mirror sync catalog tags inspect digest verify usage delete untag prune doctor k8s config completions version man help" -f -a "prune" -d 'Delete old images by policy: keep the newest N, older than a time, by tag pattern'
complete -c aseecr -n "__fish_aseecr_using_subcommand help; and not __fish_seen_subcommand_from setup setup-host trust-cert login logout mirror sync catalog tags inspect digest verify usage delete untag prune doctor k8s config completions version man help" -f -a "doctor" -d 'Check name, connection, certificate, API, login, push and delete, and say what to fix'
complete -c aseecr -n "__fish_aseecr_using_subcommand help; and not __fish_seen_subcommand_from setup setup-host trust-cert login logout mirror sync catalog tags inspect digest verify usage delete untag prune doctor k8s config completions version man help" -f -a "k8s" -d 'Kubernetes helpers: image pull secret, relocate manifests, a cronjob that runs sync'
complete -c aseecr -n "__fish_aseecr_using_subcommand help; and not __fish_seen_subcommand_from setup setup-host trust-cert login logout mirror sync catalog tags inspect digest verify usage delete untag prune doctor k8s config completions version man help" -f -a "config" -d 'Read or change aseecr\'s settings, such as the default registry'
complete -c aseecr -n "__fish_aseecr_using_subcommand help; and not __fish_seen_subcommand_from setup setup-host trust-cert login logout mirror sync catalog tags inspect digest verify usage delete untag prune doctor k8s config completions version man help" -f -a "completions" -d 'Print the shell completion script for SHELL'
complete -c aseecr -n "__fish_aseecr_using_subcommand help; and not __fish_seen_subcommand_from setup setup-host trust-cert login logout mirror sync catalog tags inspect digest verify usage delete untag prune doctor k8s config completions version man help" -f -a "version" -d 'Print aseecr\'s version'
complete -c aseecr -n "__fish_aseecr_using_subcommand help; and not __fish_seen_subcommand_from setup setup-host trust-cert login logout mirror sync catalog tags inspect digest verify usage delete untag prune doctor k8s config completions version man help" -f -a "man" -d 'Print aseecr\'s manual page (roff), as installed in man1/aseecr.1'
complete -c aseecr -n "__fish_aseecr_using_subcommand help; and not __fish_seen_subcommand_from setup setup-host trust-cert login logout mirror sync catalog tags inspect digest verify usage delete untag prune doctor k8s config completions version man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aseecr -n "__fish_aseecr_using_subcommand help; and __fish_seen_subcommand_from k8s" -f -a "secret" -d 'Print an image pull secret (kubernetes.io/dockerconfigjson) for the registry'
complete -c aseecr -n "__fish_aseecr_using_subcommand help; and __fish_seen_subcommand_from k8s" -f -a "relocate" -d 'Rewrite the container images of manifests to pull from the registry'
complete -c aseecr -n "__fish_aseecr_using_subcommand help; and __fish_seen_subcommand_from k8s" -f -a "cronjob" -d 'Print a CronJob that runs `aseecr sync FILE` on the cluster, on a schedule'
complete -c aseecr -n "__fish_aseecr_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "set" -d 'Set KEY to VALUE (keys: registry, platform, verify-policy, trust-store)'
complete -c aseecr -n "__fish_aseecr_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "get" -d 'Print the value of KEY'
complete -c aseecr -n "__fish_aseecr_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "unset" -d 'Remove KEY, going back to its default'
complete -c aseecr -n "__fish_aseecr_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "list" -d 'Print every setting and the registries aseecr remembers'
complete -c aseecr -n "__fish_aseecr_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "path" -d 'Print the path of the configuration file'

# Repositories and tags from the registry (cached briefly; silent on failure).
complete -c aseecr -n "__fish_seen_subcommand_from mirror tags inspect digest verify usage delete untag prune" -a "(command aseecr __complete (commandline -ct) 2>/dev/null </dev/null)"
