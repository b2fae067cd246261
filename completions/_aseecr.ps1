
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'aseecr' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'aseecr'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'aseecr' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'Use REGISTRY (host[:port]) for references that name no registry')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Read and write aseecr''s configuration in DIR')
            [CompletionResult]::new('--docker-config', '--docker-config', [CompletionResultType]::ParameterName, 'Read and write docker credentials (config.json) in DIR')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Hide progress bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (unsafe; prints a warning)')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input (one line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('setup', 'setup', [CompletionResultType]::ParameterValue, 'Set up this machine for a device''s registry: hosts entry, certificate, login, check')
            [CompletionResult]::new('setup-host', 'setup-host', [CompletionResultType]::ParameterValue, 'Add, replace or remove the hosts-file entry for a registry')
            [CompletionResult]::new('trust-cert', 'trust-cert', [CompletionResultType]::ParameterValue, 'Trust a registry''s certificate in the OS store, container clients and aseecr')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in to a registry and store the credentials as docker does')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Remove stored credentials for a registry')
            [CompletionResult]::new('mirror', 'mirror', [CompletionResultType]::ParameterValue, 'Copy images from any registry to the edge registry, without a Docker engine')
            [CompletionResult]::new('cp', 'cp', [CompletionResultType]::ParameterValue, 'Copy images from any registry to the edge registry, without a Docker engine')
            [CompletionResult]::new('copy', 'copy', [CompletionResultType]::ParameterValue, 'Copy images from any registry to the edge registry, without a Docker engine')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Copy the images a YAML file lists to every destination registry it names')
            [CompletionResult]::new('catalog', 'catalog', [CompletionResultType]::ParameterValue, 'List the repositories of a registry')
            [CompletionResult]::new('tags', 'tags', [CompletionResultType]::ParameterValue, 'List the tags of a repository')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List the tags of a repository')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show an image''s digest, media type, platforms, layers and sizes')
            [CompletionResult]::new('digest', 'digest', [CompletionResultType]::ParameterValue, 'Print the digest an image reference resolves to')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check an image''s signatures against a cosign key or notation''s trust policy')
            [CompletionResult]::new('usage', 'usage', [CompletionResultType]::ParameterValue, 'Show the space each repository takes and shares, the total, and the largest images')
            [CompletionResult]::new('du', 'du', [CompletionResultType]::ParameterValue, 'Show the space each repository takes and shares, the total, and the largest images')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete images safely, never removing a tag that was not named')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete images safely, never removing a tag that was not named')
            [CompletionResult]::new('untag', 'untag', [CompletionResultType]::ParameterValue, 'Remove tags only, keeping every other tag and the image itself')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Delete old images by policy: keep the newest N, older than a time, by tag pattern')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check name, connection, certificate, API, login, push and delete, and say what to fix')
            [CompletionResult]::new('k8s', 'k8s', [CompletionResultType]::ParameterValue, 'Kubernetes helpers: image pull secret, relocate manifests, a cronjob that runs sync')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Read or change aseecr''s settings, such as the default registry')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the shell completion script for SHELL')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'Print aseecr''s version')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print aseecr''s manual page (roff), as installed in man1/aseecr.1')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aseecr;setup' {
            [CompletionResult]::new('--from-info', '--from-info', [CompletionResultType]::ParameterName, 'Read endpoint, IP, username and password from FILE (`-` for stdin): the output of the device''s `Get-HcsKubernetesContainerRegistryInfo`')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'The registry endpoint, host:port (the device''s listens on port 31001)')
            [CompletionResult]::new('--ip', '--ip', [CompletionResultType]::ParameterName, 'The device''s Kubernetes node IP address')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'The registry certificate downloaded from the device (PEM or DER)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Trust the certificate in these stores (`all`: the OS store too, as for trust-cert) [default: the registry''s own stores; on Windows also the OS store]')
            [CompletionResult]::new('--hosts-file', '--hosts-file', [CompletionResultType]::ParameterName, 'Edit FILE instead of the system hosts file')
            [CompletionResult]::new('--root', '--root', [CompletionResultType]::ParameterName, 'Treat DIR as the file-system root: every system path is taken inside DIR')
            [CompletionResult]::new('--trust-command', '--trust-command', [CompletionResultType]::ParameterName, 'Run PROGRAM with the OS command as its arguments instead of the command itself')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Print the result as FORMAT')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'Use REGISTRY (host[:port]) for references that name no registry')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Read and write aseecr''s configuration in DIR')
            [CompletionResult]::new('--docker-config', '--docker-config', [CompletionResultType]::ParameterName, 'Read and write docker credentials (config.json) in DIR')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print every step''s planned change, and change nothing')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Hide progress bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (unsafe; prints a warning)')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input (one line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aseecr;setup-host' {
            [CompletionResult]::new('--hosts-file', '--hosts-file', [CompletionResultType]::ParameterName, 'Edit FILE instead of the system hosts file')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Print the result as FORMAT')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'Use REGISTRY (host[:port]) for references that name no registry')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Read and write aseecr''s configuration in DIR')
            [CompletionResult]::new('--docker-config', '--docker-config', [CompletionResultType]::ParameterName, 'Read and write docker credentials (config.json) in DIR')
            [CompletionResult]::new('--remove', '--remove', [CompletionResultType]::ParameterName, 'Remove the entry for ENDPOINT instead')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'Print the entries aseecr manages in the hosts file')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the change as a diff, and change nothing')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Hide progress bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (unsafe; prints a warning)')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input (one line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aseecr;trust-cert' {
            [CompletionResult]::new('--fingerprint', '--fingerprint', [CompletionResultType]::ParameterName, 'Trust only the certificate with this SHA-256 fingerprint (AA:BB:.. or hex)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Change only these stores (`all`: every store, the OS store too) [default: the registry''s own stores; on Windows also the OS store; with --remove: all]')
            [CompletionResult]::new('--root', '--root', [CompletionResultType]::ParameterName, 'Treat DIR as the file-system root: every system path is taken inside DIR')
            [CompletionResult]::new('--trust-command', '--trust-command', [CompletionResultType]::ParameterName, 'Run PROGRAM with the OS command as its arguments instead of the command itself')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Print the result as FORMAT')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'Use REGISTRY (host[:port]) for references that name no registry')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Read and write aseecr''s configuration in DIR')
            [CompletionResult]::new('--docker-config', '--docker-config', [CompletionResultType]::ParameterName, 'Read and write docker credentials (config.json) in DIR')
            [CompletionResult]::new('--fetch', '--fetch', [CompletionResultType]::ParameterName, 'Get the certificate the registry (--registry) presents instead of reading a file')
            [CompletionResult]::new('--remove', '--remove', [CompletionResultType]::ParameterName, 'Remove the certificate from the stores instead (matched by fingerprint)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change, and change nothing')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Trust the certificate even though it has expired or does not name the registry')
            [CompletionResult]::new('--replace', '--replace', [CompletionResultType]::ParameterName, 'Replace a different certificate already trusted for the registry (a re-issued one)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Hide progress bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (unsafe; prints a warning)')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input (one line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aseecr;login' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Print the result as FORMAT')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Read and write aseecr''s configuration in DIR')
            [CompletionResult]::new('--docker-config', '--docker-config', [CompletionResultType]::ParameterName, 'Read and write docker credentials (config.json) in DIR')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Hide progress bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (unsafe; prints a warning)')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input (one line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aseecr;logout' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Print the result as FORMAT')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Read and write aseecr''s configuration in DIR')
            [CompletionResult]::new('--docker-config', '--docker-config', [CompletionResultType]::ParameterName, 'Read and write docker credentials (config.json) in DIR')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Hide progress bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (unsafe; prints a warning)')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input (one line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aseecr;mirror' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Copy every source to REGISTRY[/PREFIX], keeping each repository path; repeatable: every source to every registry, each blob read once')
            [CompletionResult]::new('--to-file', '--to-file', [CompletionResultType]::ParameterName, 'Read destination registries (`REGISTRY[/PREFIX]`, one per line, `#` comments) from FILE, as repeated --to')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Read `SRC [DST]` lines from FILE (`-` for stdin); `#` starts a comment')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Read `SRC [DST]` lines from FILE (`-` for stdin); `#` starts a comment')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Put destination repositories under PREFIX (when the destination is not named)')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Copy only PLATFORM (os/arch[/variant]) of a multi-platform image; repeatable; `all`: every platform')
            [CompletionResult]::new('--tags', '--tags', [CompletionResultType]::ParameterName, 'Copy the tags of the source repository that match REGEX')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Copy up to N blobs at once (blobs of 1 MiB or more: N/4, at least one) [default: 8, and 8 more per 25 ms of round trip to the source, at most 64]')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Copy up to N blobs at once (blobs of 1 MiB or more: N/4, at least one) [default: 8, and 8 more per 25 ms of round trip to the source, at most 64]')
            [CompletionResult]::new('--limit-rate', '--limit-rate', [CompletionResultType]::ParameterName, 'Read at most RATE bytes per second from the sources, all blobs together (e.g. 20M, 500K)')
            [CompletionResult]::new('--referrers-type', '--referrers-type', [CompletionResultType]::ParameterName, 'Copy only the referrers of artifact type TYPE (e.g. application/spdx+json); repeatable')
            [CompletionResult]::new('--verify-key', '--verify-key', [CompletionResultType]::ParameterName, 'Copy only images carrying a cosign signature by the public key in FILE (PEM, ECDSA P-256)')
            [CompletionResult]::new('--verify-policy', '--verify-policy', [CompletionResultType]::ParameterName, 'Copy only images the trust policy in FILE accepts (notation''s trustpolicy.json)')
            [CompletionResult]::new('--trust-store', '--trust-store', [CompletionResultType]::ParameterName, 'Read the trust policy''s named trust stores from DIR (notation''s trust store layout)')
            [CompletionResult]::new('--src-ca-cert', '--src-ca-cert', [CompletionResultType]::ParameterName, 'Trust FILE (PEM or DER) for the source registries')
            [CompletionResult]::new('--dst-ca-cert', '--dst-ca-cert', [CompletionResultType]::ParameterName, 'Trust FILE (PEM or DER) for the destination registries')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Print the result as FORMAT')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'Use REGISTRY (host[:port]) for references that name no registry')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Read and write aseecr''s configuration in DIR')
            [CompletionResult]::new('--docker-config', '--docker-config', [CompletionResultType]::ParameterName, 'Read and write docker credentials (config.json) in DIR')
            [CompletionResult]::new('--all-tags', '--all-tags', [CompletionResultType]::ParameterName, 'Copy every tag of the source repository')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan (images, blobs to copy, bytes, blobs already there); write nothing')
            [CompletionResult]::new('--include-nondistributable', '--include-nondistributable', [CompletionResultType]::ParameterName, 'Also copy foreign (non-distributable) layers, such as Windows base layers')
            [CompletionResult]::new('--prune-replaced', '--prune-replaced', [CompletionResultType]::ParameterName, 'Delete the digest a moved tag pointed at before, when no tag uses it any more')
            [CompletionResult]::new('--no-referrers', '--no-referrers', [CompletionResultType]::ParameterName, 'Copy no referrers (signatures, SBOMs, attestations) or cosign tags along with the images')
            [CompletionResult]::new('--src-insecure', '--src-insecure', [CompletionResultType]::ParameterName, 'Skip TLS verification for the source registries')
            [CompletionResult]::new('--src-plain-http', '--src-plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP to the source registries')
            [CompletionResult]::new('--dst-insecure', '--dst-insecure', [CompletionResultType]::ParameterName, 'Skip TLS verification for the destination registries')
            [CompletionResult]::new('--dst-plain-http', '--dst-plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP to the destination registries')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Hide progress bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (unsafe; prints a warning)')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input (one line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aseecr;cp' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Copy every source to REGISTRY[/PREFIX], keeping each repository path; repeatable: every source to every registry, each blob read once')
            [CompletionResult]::new('--to-file', '--to-file', [CompletionResultType]::ParameterName, 'Read destination registries (`REGISTRY[/PREFIX]`, one per line, `#` comments) from FILE, as repeated --to')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Read `SRC [DST]` lines from FILE (`-` for stdin); `#` starts a comment')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Read `SRC [DST]` lines from FILE (`-` for stdin); `#` starts a comment')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Put destination repositories under PREFIX (when the destination is not named)')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Copy only PLATFORM (os/arch[/variant]) of a multi-platform image; repeatable; `all`: every platform')
            [CompletionResult]::new('--tags', '--tags', [CompletionResultType]::ParameterName, 'Copy the tags of the source repository that match REGEX')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Copy up to N blobs at once (blobs of 1 MiB or more: N/4, at least one) [default: 8, and 8 more per 25 ms of round trip to the source, at most 64]')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Copy up to N blobs at once (blobs of 1 MiB or more: N/4, at least one) [default: 8, and 8 more per 25 ms of round trip to the source, at most 64]')
            [CompletionResult]::new('--limit-rate', '--limit-rate', [CompletionResultType]::ParameterName, 'Read at most RATE bytes per second from the sources, all blobs together (e.g. 20M, 500K)')
            [CompletionResult]::new('--referrers-type', '--referrers-type', [CompletionResultType]::ParameterName, 'Copy only the referrers of artifact type TYPE (e.g. application/spdx+json); repeatable')
            [CompletionResult]::new('--verify-key', '--verify-key', [CompletionResultType]::ParameterName, 'Copy only images carrying a cosign signature by the public key in FILE (PEM, ECDSA P-256)')
            [CompletionResult]::new('--verify-policy', '--verify-policy', [CompletionResultType]::ParameterName, 'Copy only images the trust policy in FILE accepts (notation''s trustpolicy.json)')
            [CompletionResult]::new('--trust-store', '--trust-store', [CompletionResultType]::ParameterName, 'Read the trust policy''s named trust stores from DIR (notation''s trust store layout)')
            [CompletionResult]::new('--src-ca-cert', '--src-ca-cert', [CompletionResultType]::ParameterName, 'Trust FILE (PEM or DER) for the source registries')
            [CompletionResult]::new('--dst-ca-cert', '--dst-ca-cert', [CompletionResultType]::ParameterName, 'Trust FILE (PEM or DER) for the destination registries')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Print the result as FORMAT')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'Use REGISTRY (host[:port]) for references that name no registry')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Read and write aseecr''s configuration in DIR')
            [CompletionResult]::new('--docker-config', '--docker-config', [CompletionResultType]::ParameterName, 'Read and write docker credentials (config.json) in DIR')
            [CompletionResult]::new('--all-tags', '--all-tags', [CompletionResultType]::ParameterName, 'Copy every tag of the source repository')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan (images, blobs to copy, bytes, blobs already there); write nothing')
            [CompletionResult]::new('--include-nondistributable', '--include-nondistributable', [CompletionResultType]::ParameterName, 'Also copy foreign (non-distributable) layers, such as Windows base layers')
            [CompletionResult]::new('--prune-replaced', '--prune-replaced', [CompletionResultType]::ParameterName, 'Delete the digest a moved tag pointed at before, when no tag uses it any more')
            [CompletionResult]::new('--no-referrers', '--no-referrers', [CompletionResultType]::ParameterName, 'Copy no referrers (signatures, SBOMs, attestations) or cosign tags along with the images')
            [CompletionResult]::new('--src-insecure', '--src-insecure', [CompletionResultType]::ParameterName, 'Skip TLS verification for the source registries')
            [CompletionResult]::new('--src-plain-http', '--src-plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP to the source registries')
            [CompletionResult]::new('--dst-insecure', '--dst-insecure', [CompletionResultType]::ParameterName, 'Skip TLS verification for the destination registries')
            [CompletionResult]::new('--dst-plain-http', '--dst-plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP to the destination registries')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Hide progress bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (unsafe; prints a warning)')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input (one line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aseecr;copy' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Copy every source to REGISTRY[/PREFIX], keeping each repository path; repeatable: every source to every registry, each blob read once')
            [CompletionResult]::new('--to-file', '--to-file', [CompletionResultType]::ParameterName, 'Read destination registries (`REGISTRY[/PREFIX]`, one per line, `#` comments) from FILE, as repeated --to')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Read `SRC [DST]` lines from FILE (`-` for stdin); `#` starts a comment')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Read `SRC [DST]` lines from FILE (`-` for stdin); `#` starts a comment')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Put destination repositories under PREFIX (when the destination is not named)')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Copy only PLATFORM (os/arch[/variant]) of a multi-platform image; repeatable; `all`: every platform')
            [CompletionResult]::new('--tags', '--tags', [CompletionResultType]::ParameterName, 'Copy the tags of the source repository that match REGEX')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Copy up to N blobs at once (blobs of 1 MiB or more: N/4, at least one) [default: 8, and 8 more per 25 ms of round trip to the source, at most 64]')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Copy up to N blobs at once (blobs of 1 MiB or more: N/4, at least one) [default: 8, and 8 more per 25 ms of round trip to the source, at most 64]')
            [CompletionResult]::new('--limit-rate', '--limit-rate', [CompletionResultType]::ParameterName, 'Read at most RATE bytes per second from the sources, all blobs together (e.g. 20M, 500K)')
            [CompletionResult]::new('--referrers-type', '--referrers-type', [CompletionResultType]::ParameterName, 'Copy only the referrers of artifact type TYPE (e.g. application/spdx+json); repeatable')
            [CompletionResult]::new('--verify-key', '--verify-key', [CompletionResultType]::ParameterName, 'Copy only images carrying a cosign signature by the public key in FILE (PEM, ECDSA P-256)')
            [CompletionResult]::new('--verify-policy', '--verify-policy', [CompletionResultType]::ParameterName, 'Copy only images the trust policy in FILE accepts (notation''s trustpolicy.json)')
            [CompletionResult]::new('--trust-store', '--trust-store', [CompletionResultType]::ParameterName, 'Read the trust policy''s named trust stores from DIR (notation''s trust store layout)')
            [CompletionResult]::new('--src-ca-cert', '--src-ca-cert', [CompletionResultType]::ParameterName, 'Trust FILE (PEM or DER) for the source registries')
            [CompletionResult]::new('--dst-ca-cert', '--dst-ca-cert', [CompletionResultType]::ParameterName, 'Trust FILE (PEM or DER) for the destination registries')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Print the result as FORMAT')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'Use REGISTRY (host[:port]) for references that name no registry')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Read and write aseecr''s configuration in DIR')
            [CompletionResult]::new('--docker-config', '--docker-config', [CompletionResultType]::ParameterName, 'Read and write docker credentials (config.json) in DIR')
            [CompletionResult]::new('--all-tags', '--all-tags', [CompletionResultType]::ParameterName, 'Copy every tag of the source repository')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan (images, blobs to copy, bytes, blobs already there); write nothing')
            [CompletionResult]::new('--include-nondistributable', '--include-nondistributable', [CompletionResultType]::ParameterName, 'Also copy foreign (non-distributable) layers, such as Windows base layers')
            [CompletionResult]::new('--prune-replaced', '--prune-replaced', [CompletionResultType]::ParameterName, 'Delete the digest a moved tag pointed at before, when no tag uses it any more')
            [CompletionResult]::new('--no-referrers', '--no-referrers', [CompletionResultType]::ParameterName, 'Copy no referrers (signatures, SBOMs, attestations) or cosign tags along with the images')
            [CompletionResult]::new('--src-insecure', '--src-insecure', [CompletionResultType]::ParameterName, 'Skip TLS verification for the source registries')
            [CompletionResult]::new('--src-plain-http', '--src-plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP to the source registries')
            [CompletionResult]::new('--dst-insecure', '--dst-insecure', [CompletionResultType]::ParameterName, 'Skip TLS verification for the destination registries')
            [CompletionResult]::new('--dst-plain-http', '--dst-plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP to the destination registries')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Hide progress bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (unsafe; prints a warning)')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input (one line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aseecr;sync' {
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Copy up to N blobs at once per destination (blobs of 1 MiB or more: N/4, at least one) [default: 8, and 8 more per 25 ms of round trip to the sources, at most 64]')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Copy up to N blobs at once per destination (blobs of 1 MiB or more: N/4, at least one) [default: 8, and 8 more per 25 ms of round trip to the sources, at most 64]')
            [CompletionResult]::new('--limit-rate', '--limit-rate', [CompletionResultType]::ParameterName, 'Read at most RATE bytes per second from the sources, all blobs together (e.g. 20M, 500K)')
            [CompletionResult]::new('--referrers-type', '--referrers-type', [CompletionResultType]::ParameterName, 'Copy only the referrers of artifact type TYPE (e.g. application/spdx+json); repeatable')
            [CompletionResult]::new('--verify-key', '--verify-key', [CompletionResultType]::ParameterName, 'Copy only images carrying a cosign signature by the public key in FILE (PEM, ECDSA P-256)')
            [CompletionResult]::new('--verify-policy', '--verify-policy', [CompletionResultType]::ParameterName, 'Copy only images the trust policy in FILE accepts (notation''s trustpolicy.json)')
            [CompletionResult]::new('--trust-store', '--trust-store', [CompletionResultType]::ParameterName, 'Read the trust policy''s named trust stores from DIR (notation''s trust store layout)')
            [CompletionResult]::new('--src-ca-cert', '--src-ca-cert', [CompletionResultType]::ParameterName, 'Trust FILE (PEM or DER) for the source registries')
            [CompletionResult]::new('--dst-ca-cert', '--dst-ca-cert', [CompletionResultType]::ParameterName, 'Trust FILE (PEM or DER) for the destination registries')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Print the result as FORMAT')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'Use REGISTRY (host[:port]) for references that name no registry')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Read and write aseecr''s configuration in DIR')
            [CompletionResult]::new('--docker-config', '--docker-config', [CompletionResultType]::ParameterName, 'Read and write docker credentials (config.json) in DIR')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan for every destination (images, blobs to copy); write nothing')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Like --dry-run, and exit 10 when something would be copied or pruned, 0 when all is up to date')
            [CompletionResult]::new('--no-referrers', '--no-referrers', [CompletionResultType]::ParameterName, 'Copy no referrers (signatures, SBOMs, attestations) or cosign tags along with the images')
            [CompletionResult]::new('--src-insecure', '--src-insecure', [CompletionResultType]::ParameterName, 'Skip TLS verification for the source registries')
            [CompletionResult]::new('--src-plain-http', '--src-plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP to the source registries')
            [CompletionResult]::new('--dst-insecure', '--dst-insecure', [CompletionResultType]::ParameterName, 'Skip TLS verification for the destination registries')
            [CompletionResult]::new('--dst-plain-http', '--dst-plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP to the destination registries')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Hide progress bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (unsafe; prints a warning)')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input (one line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aseecr;catalog' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Print the result as FORMAT')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Read and write aseecr''s configuration in DIR')
            [CompletionResult]::new('--docker-config', '--docker-config', [CompletionResultType]::ParameterName, 'Read and write docker credentials (config.json) in DIR')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Hide progress bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (unsafe; prints a warning)')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input (one line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aseecr;tags' {
            [CompletionResult]::new('--sort', '--sort', [CompletionResultType]::ParameterName, 'Order by tag name (versions in numeric order) or by creation time, newest first')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Print the result as FORMAT')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'Use REGISTRY (host[:port]) for references that name no registry')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Read and write aseecr''s configuration in DIR')
            [CompletionResult]::new('--docker-config', '--docker-config', [CompletionResultType]::ParameterName, 'Read and write docker credentials (config.json) in DIR')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Show each tag''s digest, creation time, size and platforms, newest first')
            [CompletionResult]::new('--long', '--long', [CompletionResultType]::ParameterName, 'Show each tag''s digest, creation time, size and platforms, newest first')
            [CompletionResult]::new('--detail', '--detail', [CompletionResultType]::ParameterName, 'Show each tag''s digest, creation time, size and platforms, newest first')
            [CompletionResult]::new('--attachments', '--attachments', [CompletionResultType]::ParameterName, 'List the attachment tags instead: referrers indexes (sha256-<hex>) and cosign signatures, attestations and SBOMs (sha256-<hex>.sig, .att, .sbom)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Hide progress bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (unsafe; prints a warning)')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input (one line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aseecr;ls' {
            [CompletionResult]::new('--sort', '--sort', [CompletionResultType]::ParameterName, 'Order by tag name (versions in numeric order) or by creation time, newest first')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Print the result as FORMAT')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'Use REGISTRY (host[:port]) for references that name no registry')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Read and write aseecr''s configuration in DIR')
            [CompletionResult]::new('--docker-config', '--docker-config', [CompletionResultType]::ParameterName, 'Read and write docker credentials (config.json) in DIR')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Show each tag''s digest, creation time, size and platforms, newest first')
            [CompletionResult]::new('--long', '--long', [CompletionResultType]::ParameterName, 'Show each tag''s digest, creation time, size and platforms, newest first')
            [CompletionResult]::new('--detail', '--detail', [CompletionResultType]::ParameterName, 'Show each tag''s digest, creation time, size and platforms, newest first')
            [CompletionResult]::new('--attachments', '--attachments', [CompletionResultType]::ParameterName, 'List the attachment tags instead: referrers indexes (sha256-<hex>) and cosign signatures, attestations and SBOMs (sha256-<hex>.sig, .att, .sbom)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Hide progress bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (unsafe; prints a warning)')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input (one line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aseecr;inspect' {
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Of a multi-platform image, inspect PLATFORM (os/arch[/variant]) only (no default applies)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Print the result as FORMAT')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'Use REGISTRY (host[:port]) for references that name no registry')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Read and write aseecr''s configuration in DIR')
            [CompletionResult]::new('--docker-config', '--docker-config', [CompletionResultType]::ParameterName, 'Read and write docker credentials (config.json) in DIR')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Print the manifest bytes exactly as the registry sent them (with --config: the config''s)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Show the image''s configuration: entrypoint, command, environment, labels, created')
            [CompletionResult]::new('--referrers', '--referrers', [CompletionResultType]::ParameterName, 'Show what hangs off the image and each of its platform manifests: signatures, SBOMs, attestations (and their own referrers), and cosign tags')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Hide progress bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (unsafe; prints a warning)')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input (one line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aseecr;digest' {
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Of a multi-platform image, print the digest of PLATFORM (os/arch[/variant]) (no default applies)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Print the result as FORMAT')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'Use REGISTRY (host[:port]) for references that name no registry')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Read and write aseecr''s configuration in DIR')
            [CompletionResult]::new('--docker-config', '--docker-config', [CompletionResultType]::ParameterName, 'Read and write docker credentials (config.json) in DIR')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Hide progress bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (unsafe; prints a warning)')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input (one line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aseecr;verify' {
            [CompletionResult]::new('--verify-key', '--verify-key', [CompletionResultType]::ParameterName, 'Require a cosign signature by the public key in FILE (PEM, ECDSA P-256)')
            [CompletionResult]::new('--verify-policy', '--verify-policy', [CompletionResultType]::ParameterName, 'Apply the trust policy in FILE (notation''s trustpolicy.json)')
            [CompletionResult]::new('--trust-store', '--trust-store', [CompletionResultType]::ParameterName, 'Read the policy''s named trust stores from DIR (notation''s trust store layout)')
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'For an image in a layout: the repository (host[:port]/path) whose trust policy statement applies, as notation''s --scope (default: only the "*" statement)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Print the result as FORMAT')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'Use REGISTRY (host[:port]) for references that name no registry')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Read and write aseecr''s configuration in DIR')
            [CompletionResult]::new('--docker-config', '--docker-config', [CompletionResultType]::ParameterName, 'Read and write docker credentials (config.json) in DIR')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Hide progress bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (unsafe; prints a warning)')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input (one line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aseecr;usage' {
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Show the N largest images')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Print the result as FORMAT')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'Use REGISTRY (host[:port]) for references that name no registry')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Read and write aseecr''s configuration in DIR')
            [CompletionResult]::new('--docker-config', '--docker-config', [CompletionResultType]::ParameterName, 'Read and write docker credentials (config.json) in DIR')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Hide progress bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (unsafe; prints a warning)')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input (one line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aseecr;du' {
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Show the N largest images')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Print the result as FORMAT')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'Use REGISTRY (host[:port]) for references that name no registry')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Read and write aseecr''s configuration in DIR')
            [CompletionResult]::new('--docker-config', '--docker-config', [CompletionResultType]::ParameterName, 'Read and write docker credentials (config.json) in DIR')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Hide progress bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (unsafe; prints a warning)')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input (one line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aseecr;delete' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Print the result as FORMAT')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'Use REGISTRY (host[:port]) for references that name no registry')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Read and write aseecr''s configuration in DIR')
            [CompletionResult]::new('--docker-config', '--docker-config', [CompletionResultType]::ParameterName, 'Read and write docker credentials (config.json) in DIR')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Delete even when other tags share the digest (they are deleted too)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would be deleted, and delete nothing')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Hide progress bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (unsafe; prints a warning)')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input (one line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aseecr;rm' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Print the result as FORMAT')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'Use REGISTRY (host[:port]) for references that name no registry')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Read and write aseecr''s configuration in DIR')
            [CompletionResult]::new('--docker-config', '--docker-config', [CompletionResultType]::ParameterName, 'Read and write docker credentials (config.json) in DIR')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Delete even when other tags share the digest (they are deleted too)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would be deleted, and delete nothing')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Hide progress bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (unsafe; prints a warning)')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input (one line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aseecr;untag' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Print the result as FORMAT')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'Use REGISTRY (host[:port]) for references that name no registry')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Read and write aseecr''s configuration in DIR')
            [CompletionResult]::new('--docker-config', '--docker-config', [CompletionResultType]::ParameterName, 'Read and write docker credentials (config.json) in DIR')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would be removed, and change nothing')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Hide progress bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (unsafe; prints a warning)')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input (one line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aseecr;prune' {
            [CompletionResult]::new('--keep', '--keep', [CompletionResultType]::ParameterName, 'Keep the N newest of the matched tags, by creation time')
            [CompletionResult]::new('--older-than', '--older-than', [CompletionResultType]::ParameterName, 'Only remove tags created longer ago than AGE: 30d, 12h, 2w')
            [CompletionResult]::new('--tags', '--tags', [CompletionResultType]::ParameterName, 'The policy applies only to tags matching REGEX (every tag if not given)')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Never remove tags matching REGEX, such as ''^(latest|stable)$''')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Print the result as FORMAT')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'Use REGISTRY (host[:port]) for references that name no registry')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Read and write aseecr''s configuration in DIR')
            [CompletionResult]::new('--docker-config', '--docker-config', [CompletionResultType]::ParameterName, 'Read and write docker credentials (config.json) in DIR')
            [CompletionResult]::new('--all-repositories', '--all-repositories', [CompletionResultType]::ParameterName, 'Every repository of the registry (named, or the configured one)')
            [CompletionResult]::new('--untagged', '--untagged', [CompletionResultType]::ParameterName, 'Also delete untagged images that mirror replaced earlier (from aseecr''s record)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan and what garbage collection would free, and change nothing')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Hide progress bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (unsafe; prints a warning)')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input (one line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aseecr;doctor' {
            [CompletionResult]::new('--hosts-file', '--hosts-file', [CompletionResultType]::ParameterName, 'Compare name resolution with FILE instead of the system hosts file')
            [CompletionResult]::new('--root', '--root', [CompletionResultType]::ParameterName, 'Look for the container clients'' certs.d folders inside DIR (as trust-cert --root)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Print the result as FORMAT')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Read and write aseecr''s configuration in DIR')
            [CompletionResult]::new('--docker-config', '--docker-config', [CompletionResultType]::ParameterName, 'Read and write docker credentials (config.json) in DIR')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Hide progress bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (unsafe; prints a warning)')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input (one line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aseecr;k8s' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'Use REGISTRY (host[:port]) for references that name no registry')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Read and write aseecr''s configuration in DIR')
            [CompletionResult]::new('--docker-config', '--docker-config', [CompletionResultType]::ParameterName, 'Read and write docker credentials (config.json) in DIR')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Hide progress bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (unsafe; prints a warning)')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input (one line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('secret', 'secret', [CompletionResultType]::ParameterValue, 'Print an image pull secret (kubernetes.io/dockerconfigjson) for the registry')
            [CompletionResult]::new('relocate', 'relocate', [CompletionResultType]::ParameterValue, 'Rewrite the container images of manifests to pull from the registry')
            [CompletionResult]::new('cronjob', 'cronjob', [CompletionResultType]::ParameterValue, 'Print a CronJob that runs `aseecr sync FILE` on the cluster, on a schedule')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aseecr;k8s;secret' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Put the secret in NAMESPACE (default: none, so kubectl''s current namespace)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Put the secret in NAMESPACE (default: none, so kubectl''s current namespace)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Name the secret NAME')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the secret to FILE (mode 0600) instead of stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the secret to FILE (mode 0600) instead of stdout')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Print the result as FORMAT')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Read and write aseecr''s configuration in DIR')
            [CompletionResult]::new('--docker-config', '--docker-config', [CompletionResultType]::ParameterName, 'Read and write docker credentials (config.json) in DIR')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Hide progress bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (unsafe; prints a warning)')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input (one line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aseecr;k8s;relocate' {
            [CompletionResult]::new('--pull-secret', '--pull-secret', [CompletionResultType]::ParameterName, 'Add the image pull secret NAME to pod specs that lack it')
            [CompletionResult]::new('--referrers-type', '--referrers-type', [CompletionResultType]::ParameterName, 'Copy only the referrers of artifact type TYPE (e.g. application/spdx+json); repeatable')
            [CompletionResult]::new('--verify-key', '--verify-key', [CompletionResultType]::ParameterName, 'Copy only images carrying a cosign signature by the public key in FILE (PEM, ECDSA P-256)')
            [CompletionResult]::new('--verify-policy', '--verify-policy', [CompletionResultType]::ParameterName, 'Copy only images the trust policy in FILE accepts (notation''s trustpolicy.json)')
            [CompletionResult]::new('--trust-store', '--trust-store', [CompletionResultType]::ParameterName, 'Read the trust policy''s named trust stores from DIR (notation''s trust store layout)')
            [CompletionResult]::new('--src-ca-cert', '--src-ca-cert', [CompletionResultType]::ParameterName, 'Trust FILE (PEM or DER) for the source registries')
            [CompletionResult]::new('--dst-ca-cert', '--dst-ca-cert', [CompletionResultType]::ParameterName, 'Trust FILE (PEM or DER) for the destination registries')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Print the result as FORMAT')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'Use REGISTRY (host[:port]) for references that name no registry')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Read and write aseecr''s configuration in DIR')
            [CompletionResult]::new('--docker-config', '--docker-config', [CompletionResultType]::ParameterName, 'Read and write docker credentials (config.json) in DIR')
            [CompletionResult]::new('--no-pull-secret', '--no-pull-secret', [CompletionResultType]::ParameterName, 'Leave imagePullSecrets alone')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Rewrite the files in place instead of printing the result')
            [CompletionResult]::new('--in-place', '--in-place', [CompletionResultType]::ParameterName, 'Rewrite the files in place instead of printing the result')
            [CompletionResult]::new('--pin', '--pin', [CompletionResultType]::ParameterName, 'Pin each image to its digest in the registry (`REGISTRY/path:tag@sha256:...`)')
            [CompletionResult]::new('--mirror', '--mirror', [CompletionResultType]::ParameterName, 'Mirror every referenced image to the registry first (as `aseecr mirror` does)')
            [CompletionResult]::new('--require-present', '--require-present', [CompletionResultType]::ParameterName, 'Fail (exit 4, nothing written) when the registry lacks a relocated image or cannot be asked; without it each missing image is a warning')
            [CompletionResult]::new('--no-referrers', '--no-referrers', [CompletionResultType]::ParameterName, 'Copy no referrers (signatures, SBOMs, attestations) or cosign tags along with the images')
            [CompletionResult]::new('--src-insecure', '--src-insecure', [CompletionResultType]::ParameterName, 'Skip TLS verification for the source registries')
            [CompletionResult]::new('--src-plain-http', '--src-plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP to the source registries')
            [CompletionResult]::new('--dst-insecure', '--dst-insecure', [CompletionResultType]::ParameterName, 'Skip TLS verification for the destination registries')
            [CompletionResult]::new('--dst-plain-http', '--dst-plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP to the destination registries')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Hide progress bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (unsafe; prints a warning)')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input (one line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aseecr;k8s;cronjob' {
            [CompletionResult]::new('--schedule', '--schedule', [CompletionResultType]::ParameterName, 'Run on SCHEDULE: five cron fields (minute hour day-of-month month day-of-week) or @daily')
            [CompletionResult]::new('--time-zone', '--time-zone', [CompletionResultType]::ParameterName, 'Interpret the schedule in ZONE, e.g. Europe/Berlin (default: the cluster''s, usually UTC)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Name the CronJob and its ConfigMap NAME')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Put the objects in NAMESPACE (default: none, so kubectl''s current namespace)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Put the objects in NAMESPACE (default: none, so kubectl''s current namespace)')
            [CompletionResult]::new('--image', '--image', [CompletionResultType]::ParameterName, 'Run the aseecr image IMAGE (default: REGISTRY/aseecr:VERSION, the configured registry)')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'Read the passwords (`passwordEnv`) from the Secret NAME (default: NAME-passwords)')
            [CompletionResult]::new('--pull-secret', '--pull-secret', [CompletionResultType]::ParameterName, 'Pull the image with the pull secret NAME (default: ase-ecr-credentials for an image on the configured registry or a destination)')
            [CompletionResult]::new('--login-secret', '--login-secret', [CompletionResultType]::ParameterName, 'Log in to the destinations without `credentials` in the file with the docker config of the pull secret NAME (a kubernetes.io/dockerconfigjson Secret)')
            [CompletionResult]::new('--limit-rate', '--limit-rate', [CompletionResultType]::ParameterName, 'Pass --limit-rate RATE to `aseecr sync`: at most RATE bytes per second from the sources')
            [CompletionResult]::new('--referrers-type', '--referrers-type', [CompletionResultType]::ParameterName, 'Copy only the referrers of artifact type TYPE (e.g. application/spdx+json); repeatable')
            [CompletionResult]::new('--verify-key', '--verify-key', [CompletionResultType]::ParameterName, 'Copy only images carrying a cosign signature by the public key in FILE (PEM, ECDSA P-256)')
            [CompletionResult]::new('--verify-policy', '--verify-policy', [CompletionResultType]::ParameterName, 'Copy only images the trust policy in FILE accepts (notation''s trustpolicy.json)')
            [CompletionResult]::new('--trust-store', '--trust-store', [CompletionResultType]::ParameterName, 'Read the trust policy''s named trust stores from DIR (notation''s trust store layout)')
            [CompletionResult]::new('--src-ca-cert', '--src-ca-cert', [CompletionResultType]::ParameterName, 'Trust FILE (PEM or DER) for the source registries')
            [CompletionResult]::new('--dst-ca-cert', '--dst-ca-cert', [CompletionResultType]::ParameterName, 'Trust FILE (PEM or DER) for the destination registries')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Print the result as FORMAT')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'Use REGISTRY (host[:port]) for references that name no registry')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Read and write aseecr''s configuration in DIR')
            [CompletionResult]::new('--docker-config', '--docker-config', [CompletionResultType]::ParameterName, 'Read and write docker credentials (config.json) in DIR')
            [CompletionResult]::new('--no-pull-secret', '--no-pull-secret', [CompletionResultType]::ParameterName, 'Add no imagePullSecrets')
            [CompletionResult]::new('--no-login-secret', '--no-login-secret', [CompletionResultType]::ParameterName, 'Mount no login Secret: destinations without `credentials` are reached without a login')
            [CompletionResult]::new('--no-referrers', '--no-referrers', [CompletionResultType]::ParameterName, 'Copy no referrers (signatures, SBOMs, attestations) or cosign tags along with the images')
            [CompletionResult]::new('--src-insecure', '--src-insecure', [CompletionResultType]::ParameterName, 'Skip TLS verification for the source registries')
            [CompletionResult]::new('--src-plain-http', '--src-plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP to the source registries')
            [CompletionResult]::new('--dst-insecure', '--dst-insecure', [CompletionResultType]::ParameterName, 'Skip TLS verification for the destination registries')
            [CompletionResult]::new('--dst-plain-http', '--dst-plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP to the destination registries')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Hide progress bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (unsafe; prints a warning)')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input (one line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aseecr;k8s;help' {
            [CompletionResult]::new('secret', 'secret', [CompletionResultType]::ParameterValue, 'Print an image pull secret (kubernetes.io/dockerconfigjson) for the registry')
            [CompletionResult]::new('relocate', 'relocate', [CompletionResultType]::ParameterValue, 'Rewrite the container images of manifests to pull from the registry')
            [CompletionResult]::new('cronjob', 'cronjob', [CompletionResultType]::ParameterValue, 'Print a CronJob that runs `aseecr sync FILE` on the cluster, on a schedule')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aseecr;k8s;help;secret' {
            break
        }
        'aseecr;k8s;help;relocate' {
            break
        }
        'aseecr;k8s;help;cronjob' {
            break
        }
        'aseecr;k8s;help;help' {
            break
        }
        'aseecr;config' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'Use REGISTRY (host[:port]) for references that name no registry')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Read and write aseecr''s configuration in DIR')
            [CompletionResult]::new('--docker-config', '--docker-config', [CompletionResultType]::ParameterName, 'Read and write docker credentials (config.json) in DIR')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Hide progress bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (unsafe; prints a warning)')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input (one line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set KEY to VALUE (keys: registry, platform, verify-policy, trust-store)')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print the value of KEY')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove KEY, going back to its default')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Print every setting and the registries aseecr remembers')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the path of the configuration file')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aseecr;config;set' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Print the result as FORMAT')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'Use REGISTRY (host[:port]) for references that name no registry')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Read and write aseecr''s configuration in DIR')
            [CompletionResult]::new('--docker-config', '--docker-config', [CompletionResultType]::ParameterName, 'Read and write docker credentials (config.json) in DIR')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Hide progress bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (unsafe; prints a warning)')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input (one line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aseecr;config;get' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Print the result as FORMAT')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'Use REGISTRY (host[:port]) for references that name no registry')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Read and write aseecr''s configuration in DIR')
            [CompletionResult]::new('--docker-config', '--docker-config', [CompletionResultType]::ParameterName, 'Read and write docker credentials (config.json) in DIR')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Hide progress bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (unsafe; prints a warning)')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input (one line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aseecr;config;unset' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Print the result as FORMAT')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'Use REGISTRY (host[:port]) for references that name no registry')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Read and write aseecr''s configuration in DIR')
            [CompletionResult]::new('--docker-config', '--docker-config', [CompletionResultType]::ParameterName, 'Read and write docker credentials (config.json) in DIR')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Hide progress bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (unsafe; prints a warning)')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input (one line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aseecr;config;list' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Print the result as FORMAT')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'Use REGISTRY (host[:port]) for references that name no registry')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Read and write aseecr''s configuration in DIR')
            [CompletionResult]::new('--docker-config', '--docker-config', [CompletionResultType]::ParameterName, 'Read and write docker credentials (config.json) in DIR')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Hide progress bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (unsafe; prints a warning)')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input (one line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aseecr;config;path' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Print the result as FORMAT')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'Use REGISTRY (host[:port]) for references that name no registry')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Read and write aseecr''s configuration in DIR')
            [CompletionResult]::new('--docker-config', '--docker-config', [CompletionResultType]::ParameterName, 'Read and write docker credentials (config.json) in DIR')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Hide progress bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (unsafe; prints a warning)')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input (one line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aseecr;config;help' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set KEY to VALUE (keys: registry, platform, verify-policy, trust-store)')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print the value of KEY')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove KEY, going back to its default')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Print every setting and the registries aseecr remembers')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the path of the configuration file')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aseecr;config;help;set' {
            break
        }
        'aseecr;config;help;get' {
            break
        }
        'aseecr;config;help;unset' {
            break
        }
        'aseecr;config;help;list' {
            break
        }
        'aseecr;config;help;path' {
            break
        }
        'aseecr;config;help;help' {
            break
        }
        'aseecr;completions' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Print the result as FORMAT')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'Use REGISTRY (host[:port]) for references that name no registry')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Read and write aseecr''s configuration in DIR')
            [CompletionResult]::new('--docker-config', '--docker-config', [CompletionResultType]::ParameterName, 'Read and write docker credentials (config.json) in DIR')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Hide progress bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (unsafe; prints a warning)')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input (one line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aseecr;version' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Print the result as FORMAT')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'Use REGISTRY (host[:port]) for references that name no registry')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Read and write aseecr''s configuration in DIR')
            [CompletionResult]::new('--docker-config', '--docker-config', [CompletionResultType]::ParameterName, 'Read and write docker credentials (config.json) in DIR')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Hide progress bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (unsafe; prints a warning)')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input (one line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aseecr;man' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'Use REGISTRY (host[:port]) for references that name no registry')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust the CA or self-signed certificate in FILE (PEM or DER) for this run')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Authenticate as USER instead of using stored credentials')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Read and write aseecr''s configuration in DIR')
            [CompletionResult]::new('--docker-config', '--docker-config', [CompletionResultType]::ParameterName, 'Read and write docker credentials (config.json) in DIR')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Hide progress bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation prompt')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (unsafe; prints a warning)')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Speak plain HTTP instead of HTTPS (unsafe; prints a warning)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input (one line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aseecr;help' {
            [CompletionResult]::new('setup', 'setup', [CompletionResultType]::ParameterValue, 'Set up this machine for a device''s registry: hosts entry, certificate, login, check')
            [CompletionResult]::new('setup-host', 'setup-host', [CompletionResultType]::ParameterValue, 'Add, replace or remove the hosts-file entry for a registry')
            [CompletionResult]::new('trust-cert', 'trust-cert', [CompletionResultType]::ParameterValue, 'Trust a registry''s certificate in the OS store, container clients and aseecr')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in to a registry and store the credentials as docker does')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Remove stored credentials for a registry')
            [CompletionResult]::new('mirror', 'mirror', [CompletionResultType]::ParameterValue, 'Copy images from any registry to the edge registry, without a Docker engine')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Copy the images a YAML file lists to every destination registry it names')
            [CompletionResult]::new('catalog', 'catalog', [CompletionResultType]::ParameterValue, 'List the repositories of a registry')
            [CompletionResult]::new('tags', 'tags', [CompletionResultType]::ParameterValue, 'List the tags of a repository')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show an image''s digest, media type, platforms, layers and sizes')
            [CompletionResult]::new('digest', 'digest', [CompletionResultType]::ParameterValue, 'Print the digest an image reference resolves to')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check an image''s signatures against a cosign key or notation''s trust policy')
            [CompletionResult]::new('usage', 'usage', [CompletionResultType]::ParameterValue, 'Show the space each repository takes and shares, the total, and the largest images')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete images safely, never removing a tag that was not named')
            [CompletionResult]::new('untag', 'untag', [CompletionResultType]::ParameterValue, 'Remove tags only, keeping every other tag and the image itself')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Delete old images by policy: keep the newest N, older than a time, by tag pattern')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check name, connection, certificate, API, login, push and delete, and say what to fix')
            [CompletionResult]::new('k8s', 'k8s', [CompletionResultType]::ParameterValue, 'Kubernetes helpers: image pull secret, relocate manifests, a cronjob that runs sync')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Read or change aseecr''s settings, such as the default registry')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the shell completion script for SHELL')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'Print aseecr''s version')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print aseecr''s manual page (roff), as installed in man1/aseecr.1')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aseecr;help;setup' {
            break
        }
        'aseecr;help;setup-host' {
            break
        }
        'aseecr;help;trust-cert' {
            break
        }
        'aseecr;help;login' {
            break
        }
        'aseecr;help;logout' {
            break
        }
        'aseecr;help;mirror' {
            break
        }
        'aseecr;help;sync' {
            break
        }
        'aseecr;help;catalog' {
            break
        }
        'aseecr;help;tags' {
            break
        }
        'aseecr;help;inspect' {
            break
        }
        'aseecr;help;digest' {
            break
        }
        'aseecr;help;verify' {
            break
        }
        'aseecr;help;usage' {
            break
        }
        'aseecr;help;delete' {
            break
        }
        'aseecr;help;untag' {
            break
        }
        'aseecr;help;prune' {
            break
        }
        'aseecr;help;doctor' {
            break
        }
        'aseecr;help;k8s' {
            [CompletionResult]::new('secret', 'secret', [CompletionResultType]::ParameterValue, 'Print an image pull secret (kubernetes.io/dockerconfigjson) for the registry')
            [CompletionResult]::new('relocate', 'relocate', [CompletionResultType]::ParameterValue, 'Rewrite the container images of manifests to pull from the registry')
            [CompletionResult]::new('cronjob', 'cronjob', [CompletionResultType]::ParameterValue, 'Print a CronJob that runs `aseecr sync FILE` on the cluster, on a schedule')
            break
        }
        'aseecr;help;k8s;secret' {
            break
        }
        'aseecr;help;k8s;relocate' {
            break
        }
        'aseecr;help;k8s;cronjob' {
            break
        }
        'aseecr;help;config' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set KEY to VALUE (keys: registry, platform, verify-policy, trust-store)')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print the value of KEY')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove KEY, going back to its default')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Print every setting and the registries aseecr remembers')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the path of the configuration file')
            break
        }
        'aseecr;help;config;set' {
            break
        }
        'aseecr;help;config;get' {
            break
        }
        'aseecr;help;config;unset' {
            break
        }
        'aseecr;help;config;list' {
            break
        }
        'aseecr;help;config;path' {
            break
        }
        'aseecr;help;completions' {
            break
        }
        'aseecr;help;version' {
            break
        }
        'aseecr;help;man' {
            break
        }
        'aseecr;help;help' {
            break
        }
    })

    # Repositories and tags from the registry (cached briefly; silent on failure).
    if (@('aseecr;mirror', 'aseecr;tags', 'aseecr;inspect', 'aseecr;digest', 'aseecr;verify', 'aseecr;usage', 'aseecr;delete', 'aseecr;untag', 'aseecr;prune') -contains $command -and -not $wordToComplete.StartsWith('-')) {
        $completions += @(aseecr __complete "$wordToComplete" 2>$null | ForEach-Object {
            [CompletionResult]::new($_, $_, [CompletionResultType]::ParameterValue, $_)
        })
    }

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
