
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'pools' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'pools'
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
        'pools' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt: fail instead, naming what is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a user pool')
            [CompletionResult]::new('configure', 'configure', [CompletionResultType]::ParameterValue, 'Change settings of a pool')
            [CompletionResult]::new('reorder', 'reorder', [CompletionResultType]::ParameterValue, 'Set the login order of the pools (R5)')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show the pools in login order, or every setting of one pool')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show the pools in login order, or every setting of one pool')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a pool')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Make the store match a YAML file of pools')
            [CompletionResult]::new('simulate-login', 'simulate-login', [CompletionResultType]::ParameterValue, 'Rehearse a login offline with the real engine (R14)')
            [CompletionResult]::new('methods', 'methods', [CompletionResultType]::ParameterValue, 'List or change the environment''s sign-in methods (R8, R9)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Migration progress per pool: can a source be retired yet?')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Scan export files and the store for what needs attention')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Probe pools'' sources for their prerequisites, each failure with its fix')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Show the audit log: every change made to this store, who made it and when')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run the environment server over the store, or manage its bearer tokens')
            [CompletionResult]::new('env', 'env', [CompletionResultType]::ParameterValue, 'Remote environments: `pools serve` servers that commands reach with --env NAME')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script on stdout')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Write the man pages into DIR/man1, a manual tree: read them with `man -M DIR pools`')
            [CompletionResult]::new('users', 'users', [CompletionResultType]::ParameterValue, 'Inspect and manage users of the local store')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print the pools and their order as YAML for `pools apply`')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pools;create' {
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'external (a user database) or idp (OpenID Connect federation)')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'auth0 | cognito | firebase | custom | export (external); oidc (idp, the default there)')
            [CompletionResult]::new('--position', '--position', [CompletionResultType]::ParameterName, '1-based place in the login order [default: last]')
            [CompletionResult]::new('--tenant-fallback', '--tenant-fallback', [CompletionResultType]::ParameterName, 'Used when a property tenant is missing or unusable: fixed:<value> | auto | none')
            [CompletionResult]::new('--allow', '--allow', [CompletionResultType]::ParameterName, 'Extra sign-in methods for the pool''s users (R9), comma-separated, or none')
            [CompletionResult]::new('--domains', '--domains', [CompletionResultType]::ParameterName, 'Send only identifiers of these email domains to the pool (example.com,*.example.org), or none')
            [CompletionResult]::new('--timeout-ms', '--timeout-ms', [CompletionResultType]::ParameterName, 'How long a login waits for this pool''s answer, in milliseconds (1..=600000; default 5000): past it, or past the login''s budget, the pool is source_unavailable (R5)')
            [CompletionResult]::new('--domain', '--domain', [CompletionResultType]::ParameterName, 'auth0: tenant domain, e.g. acme.eu.auth0.com')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'auth0, cognito, idp: the client ID')
            [CompletionResult]::new('--client-secret', '--client-secret', [CompletionResultType]::ParameterName, 'auth0, idp, cognito (when its app client has one): env:VAR | file:PATH | keyring:NAME | - (read from stdin) (R11)')
            [CompletionResult]::new('--connection', '--connection', [CompletionResultType]::ParameterName, 'auth0: the database connection (realm) [default: Username-Password-Authentication]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'cognito: AWS region, e.g. eu-west-1')
            [CompletionResult]::new('--user-pool-id', '--user-pool-id', [CompletionResultType]::ParameterName, 'cognito: user pool ID, e.g. eu-west-1_AbCdEfGhI')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'cognito, firebase, auth0: override the service endpoint (emulators; http allowed on loopback)')
            [CompletionResult]::new('--project-id', '--project-id', [CompletionResultType]::ParameterName, 'firebase: project ID')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'firebase: Web API key: env:VAR | file:PATH | keyring:NAME | - (R11)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'custom: the endpoint URL (https, or http on loopback)')
            [CompletionResult]::new('--auth-header', '--auth-header', [CompletionResultType]::ParameterName, 'custom: Authorization header value: env:VAR | file:PATH | keyring:NAME | - (R11)')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'export: the export file')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'export: firebase | auth0-json | auth0-ndjson | keycloak | cognito | csv [default: detected]')
            [CompletionResult]::new('--hash-config', '--hash-config', [CompletionResultType]::ParameterName, 'export: Firebase password-hash parameters (JSON as the console shows them)')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'idp: issuer URL (serves /.well-known/openid-configuration)')
            [CompletionResult]::new('--tenant-claim', '--tenant-claim', [CompletionResultType]::ParameterName, 'idp: the claim that carries the tenant ID')
            [CompletionResult]::new('--mode', '--mode', [CompletionResultType]::ParameterName, 'passthrough | sync | jit (jit: external pools only, R2) [default: passthrough]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant ID source: property:<path> | fixed:<value> | auto (R4) [default: auto: a new tenant per new user, kept by migrated users for good; idp pools with --tenant-claim: property:<claim>]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--disable', '--disable', [CompletionResultType]::ParameterName, 'Create the pool disabled (not asked at login until `pools configure NAME --enable`)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt: fail instead, naming what is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pools;configure' {
            [CompletionResult]::new('--if-version', '--if-version', [CompletionResultType]::ParameterName, 'Refuse unless the pool is still at this version (see `pools inspect NAME`) (R12)')
            [CompletionResult]::new('--tenant-fallback', '--tenant-fallback', [CompletionResultType]::ParameterName, 'Used when a property tenant is missing or unusable: fixed:<value> | auto | none')
            [CompletionResult]::new('--allow', '--allow', [CompletionResultType]::ParameterName, 'Extra sign-in methods for the pool''s users (R9), comma-separated, or none')
            [CompletionResult]::new('--domains', '--domains', [CompletionResultType]::ParameterName, 'Send only identifiers of these email domains to the pool (example.com,*.example.org), or none')
            [CompletionResult]::new('--timeout-ms', '--timeout-ms', [CompletionResultType]::ParameterName, 'How long a login waits for this pool''s answer, in milliseconds (1..=600000; default 5000): past it, or past the login''s budget, the pool is source_unavailable (R5)')
            [CompletionResult]::new('--domain', '--domain', [CompletionResultType]::ParameterName, 'auth0: tenant domain, e.g. acme.eu.auth0.com')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'auth0, cognito, idp: the client ID')
            [CompletionResult]::new('--client-secret', '--client-secret', [CompletionResultType]::ParameterName, 'auth0, idp, cognito (when its app client has one): env:VAR | file:PATH | keyring:NAME | - (read from stdin) (R11)')
            [CompletionResult]::new('--connection', '--connection', [CompletionResultType]::ParameterName, 'auth0: the database connection (realm) [default: Username-Password-Authentication]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'cognito: AWS region, e.g. eu-west-1')
            [CompletionResult]::new('--user-pool-id', '--user-pool-id', [CompletionResultType]::ParameterName, 'cognito: user pool ID, e.g. eu-west-1_AbCdEfGhI')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'cognito, firebase, auth0: override the service endpoint (emulators; http allowed on loopback)')
            [CompletionResult]::new('--project-id', '--project-id', [CompletionResultType]::ParameterName, 'firebase: project ID')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'firebase: Web API key: env:VAR | file:PATH | keyring:NAME | - (R11)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'custom: the endpoint URL (https, or http on loopback)')
            [CompletionResult]::new('--auth-header', '--auth-header', [CompletionResultType]::ParameterName, 'custom: Authorization header value: env:VAR | file:PATH | keyring:NAME | - (R11)')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'export: the export file')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'export: firebase | auth0-json | auth0-ndjson | keycloak | cognito | csv [default: detected]')
            [CompletionResult]::new('--hash-config', '--hash-config', [CompletionResultType]::ParameterName, 'export: Firebase password-hash parameters (JSON as the console shows them)')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'idp: issuer URL (serves /.well-known/openid-configuration)')
            [CompletionResult]::new('--tenant-claim', '--tenant-claim', [CompletionResultType]::ParameterName, 'idp: the claim that carries the tenant ID')
            [CompletionResult]::new('--mode', '--mode', [CompletionResultType]::ParameterName, 'passthrough | sync | jit (jit: external pools only, R2) [default: unchanged]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant ID source: property:<path> | fixed:<value> | auto (R4); applies to users created from now on [default: unchanged]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--enable', '--enable', [CompletionResultType]::ParameterName, 'Enable the pool')
            [CompletionResult]::new('--disable', '--disable', [CompletionResultType]::ParameterName, 'Disable the pool: it is skipped at login (its migrated users still log in, R3)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Change the source (an export pool''s file or format) even though users still need it (R10)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt: fail instead, naming what is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pools;reorder' {
            [CompletionResult]::new('--move', '--move', [CompletionResultType]::ParameterName, 'Move one pool instead of giving the full order')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'New 1-based position of the moved pool')
            [CompletionResult]::new('--before', '--before', [CompletionResultType]::ParameterName, 'Put the moved pool just before this one')
            [CompletionResult]::new('--after', '--after', [CompletionResultType]::ParameterName, 'Put the moved pool just after this one')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt: fail instead, naming what is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pools;inspect' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt: fail instead, naming what is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pools;list' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt: fail instead, naming what is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pools;delete' {
            [CompletionResult]::new('--if-version', '--if-version', [CompletionResultType]::ParameterName, 'Refuse unless the pool is still at this version (R12)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Also delete when users still need the pool to log in: shadow copies go with it, imported users without a hash stay but cannot log in any more')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt: fail instead, naming what is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pools;apply' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The YAML (or JSON) document, as written by `pools export`')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The YAML (or JSON) document, as written by `pools export`')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan, write nothing')
            [CompletionResult]::new('--prune', '--prune', [CompletionResultType]::ParameterName, 'Delete pools that the file does not name (needs --yes without a terminal)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Delete (--prune) or change the source of pools whose users still need them (R10)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt: fail instead, naming what is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pools;simulate-login' {
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from a file (first line)')
            [CompletionResult]::new('--claims', '--claims', [CompletionResultType]::ParameterName, 'The claims of the ID token an IdP would return (JSON object; iss, aud, exp, iat and sub are checked), to rehearse idp federation')
            [CompletionResult]::new('--budget-ms', '--budget-ms', [CompletionResultType]::ParameterName, 'The time the whole login may take, in milliseconds (1..=600000): a pool not yet asked when it runs out fails the login closed (source_unavailable, R5)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from stdin (one line)')
            [CompletionResult]::new('--commit', '--commit', [CompletionResultType]::ParameterName, 'Persist the outcome exactly as a real login would (migration, shadow copy, hash upgrade)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt: fail instead, naming what is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pools;methods' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt: fail instead, naming what is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Enable a method for this environment')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Disable a method for this environment')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pools;methods;enable' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt: fail instead, naming what is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pools;methods;disable' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt: fail instead, naming what is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pools;methods;help' {
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Enable a method for this environment')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Disable a method for this environment')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pools;methods;help;enable' {
            break
        }
        'pools;methods;help;disable' {
            break
        }
        'pools;methods;help;help' {
            break
        }
        'pools;status' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt: fail instead, naming what is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pools;doctor' {
            [CompletionResult]::new('--pool', '--pool', [CompletionResultType]::ParameterName, 'Only these pools [default: every export pool]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt: fail instead, naming what is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pools;check' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt: fail instead, naming what is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pools;audit' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only entries from this time on: RFC 3339 (`2026-12-04T09:00:00Z`) or a UTC day (`2026-12-04`)')
            [CompletionResult]::new('--pool', '--pool', [CompletionResultType]::ParameterName, 'Only entries about this pool')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt: fail instead, naming what is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pools;serve' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'The address to listen on (port 0: any free port; the address taken is printed)')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'A file holding the server''s key (standard base64 of 32 bytes; mode 600) [default: $POOLS_SERVER_KEY]')
            [CompletionResult]::new('--secrets-file', '--secrets-file', [CompletionResultType]::ParameterName, 'The sealed secrets file: every secret the server keeps or looks up (`keyring:NAME`), each encrypted with the key (AES-256-GCM), mode 600 [default: the store''s path with `.secrets.json` appended]')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Serve https with this certificate chain (PEM: the server''s certificate, then any intermediates); needs --tls-key. With TLS any address may be listened on')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'The private key of --tls-cert''s certificate (PEM: PKCS#8, PKCS#1 or SEC1, not encrypted); needs --tls-cert')
            [CompletionResult]::new('--login-rate-per-identifier', '--login-rate-per-identifier', [CompletionResultType]::ParameterName, 'POST /v1/login attempts allowed per identifier per minute; past it, 429 with Retry-After')
            [CompletionResult]::new('--login-rate-per-client', '--login-rate-per-client', [CompletionResultType]::ParameterName, 'POST /v1/login attempts allowed per client address per minute (an application''s backend calls for all its users from one address)')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'How log lines are written on stderr (levels from POOLS_LOG, e.g. `info`, `debug`)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--insecure-http', '--insecure-http', [CompletionResultType]::ParameterName, 'Allow plain http on an address that is not loopback: TLS is terminated in front of the server (a load balancer, a proxy)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt: fail instead, naming what is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Manage the server''s bearer tokens')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pools;serve;token' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt: fail instead, naming what is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Issue a token; it is printed once, alone on the last line of stdout')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the tokens (names and roles; never a token)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke a token: the server refuses it from the next request on')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pools;serve;token;create' {
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'What the token may do')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Who holds it (1 to 64 letters, digits, `.`, `_`, `-`, `@`): the audit log''s actor')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt: fail instead, naming what is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pools;serve;token;list' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt: fail instead, naming what is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'pools;serve;token;revoke' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt: fail instead, naming what is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'pools;serve;token;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Issue a token; it is printed once, alone on the last line of stdout')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the tokens (names and roles; never a token)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke a token: the server refuses it from the next request on')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pools;serve;token;help;create' {
            break
        }
        'pools;serve;token;help;list' {
            break
        }
        'pools;serve;token;help;revoke' {
            break
        }
        'pools;serve;token;help;help' {
            break
        }
        'pools;serve;help' {
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Manage the server''s bearer tokens')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pools;serve;help;token' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Issue a token; it is printed once, alone on the last line of stdout')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the tokens (names and roles; never a token)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke a token: the server refuses it from the next request on')
            break
        }
        'pools;serve;help;token;create' {
            break
        }
        'pools;serve;help;token;list' {
            break
        }
        'pools;serve;help;token;revoke' {
            break
        }
        'pools;serve;help;help' {
            break
        }
        'pools;env' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt: fail instead, naming what is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add an environment: the URL its server answers at (https, or http on loopback)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the environments (the one in use marked *)')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make commands use this environment when neither --env nor --store is given')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove an environment and forget its token')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Keep a token for an environment (a hidden prompt on a terminal)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pools;env;add' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'The server''s base URL')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust this CA certificate (PEM) for the server besides the system''s roots: a private CA''s, for an https URL. Its path is kept, and the file read at each use')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt: fail instead, naming what is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'pools;env;list' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt: fail instead, naming what is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'pools;env;use' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt: fail instead, naming what is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'pools;env;remove' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt: fail instead, naming what is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'pools;env;login' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--token-stdin', '--token-stdin', [CompletionResultType]::ParameterName, 'Read the token from standard input instead of a prompt')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt: fail instead, naming what is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'pools;env;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add an environment: the URL its server answers at (https, or http on loopback)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the environments (the one in use marked *)')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make commands use this environment when neither --env nor --store is given')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove an environment and forget its token')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Keep a token for an environment (a hidden prompt on a terminal)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pools;env;help;add' {
            break
        }
        'pools;env;help;list' {
            break
        }
        'pools;env;help;use' {
            break
        }
        'pools;env;help;remove' {
            break
        }
        'pools;env;help;login' {
            break
        }
        'pools;env;help;help' {
            break
        }
        'pools;completions' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt: fail instead, naming what is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pools;man' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt: fail instead, naming what is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pools;users' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt: fail instead, naming what is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List users in identifier order, a page at a time (never their hashes, R11)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one user, with its aliases (other login names, R6) and the sign-in methods left to it (R8, R9)')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a native user; the password is read from stdin and stored as argon2id')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import an export file into the store as users migrated from a pool')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Restore users from a backup written by `pools users export`')
            [CompletionResult]::new('set-metadata', 'set-metadata', [CompletionResultType]::ParameterValue, 'Set metadata keys (merged into the user''s metadata); refused for sync copies (R7)')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Stream users out as NDJSON or CSV, a backup `users restore` reads back; password hashes only with --include-hashes (R11)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pools;users;list' {
            [CompletionResult]::new('--pool', '--pool', [CompletionResultType]::ParameterName, 'Only users of this pool')
            [CompletionResult]::new('--origin', '--origin', [CompletionResultType]::ParameterName, 'Only users of this origin')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most N users [default: 100 for a table; every user for -o json|yaml|ndjson]')
            [CompletionResult]::new('--after', '--after', [CompletionResultType]::ParameterName, 'Start after this position: the CURSOR the previous page printed (`next page: --after CURSOR`), with the same --pool and --origin')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt: fail instead, naming what is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pools;users;show' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt: fail instead, naming what is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'pools;users;create' {
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant ID [default: a new tenant]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from stdin (one line)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt: fail instead, naming what is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'pools;users;import' {
            [CompletionResult]::new('--pool', '--pool', [CompletionResultType]::ParameterName, 'The pool the users come from (its tenant source applies, R4)')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The export file, `-` for stdin (a pipe or FIFO is read once) [default: the pool''s --file, which through --env the server reads]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'firebase | auth0-json | auth0-ndjson | keycloak | cognito | csv [default: the pool''s, else detected]')
            [CompletionResult]::new('--hash-config', '--hash-config', [CompletionResultType]::ParameterName, 'Firebase password-hash parameters [default: the pool''s]; through --env, a file of the server''s machine, as a pool''s hash config is')
            [CompletionResult]::new('--on-conflict', '--on-conflict', [CompletionResultType]::ParameterName, 'When an identifier is already a user: skip the row, merge into the user, or reject the row')
            [CompletionResult]::new('--reject-file', '--reject-file', [CompletionResultType]::ParameterName, 'Write the rows that did not land to this file, in the input''s own format, to fix and re-import')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Rows per transaction (held in memory until committed: a large batch costs memory)')
            [CompletionResult]::new('--import-id', '--import-id', [CompletionResultType]::ParameterName, 'Name the import: runs with the same ID are one import, resumed (rows committed before are already imported), whatever the input [default: this host and the file''s path; a new import each run for stdin]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Check every row against the store and the file, write nothing')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue an interrupted import: the same as running the command again. Rows it committed are recognised (already imported, never duplicated); rows it skipped or rejected are reported, and written to --reject-file, again')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt: fail instead, naming what is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pools;users;restore' {
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The backup (`pools users export` output), `-` for stdin')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Records per transaction (held in memory until committed)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt: fail instead, naming what is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pools;users;set-metadata' {
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'A JSON object of keys to set (null removes a key)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt: fail instead, naming what is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'pools;users;export' {
            [CompletionResult]::new('--pool', '--pool', [CompletionResultType]::ParameterName, 'Only users of this pool')
            [CompletionResult]::new('--origin', '--origin', [CompletionResultType]::ParameterName, 'Only users of this origin')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'The backup''s format; `users restore` reads both back')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]')
            [CompletionResult]::new('--include-hashes', '--include-hashes', [CompletionResultType]::ParameterName, 'Include each user''s password hash (a secret: never by default)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt: fail instead, naming what is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pools;users;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List users in identifier order, a page at a time (never their hashes, R11)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one user, with its aliases (other login names, R6) and the sign-in methods left to it (R8, R9)')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a native user; the password is read from stdin and stored as argon2id')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import an export file into the store as users migrated from a pool')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Restore users from a backup written by `pools users export`')
            [CompletionResult]::new('set-metadata', 'set-metadata', [CompletionResultType]::ParameterValue, 'Set metadata keys (merged into the user''s metadata); refused for sync copies (R7)')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Stream users out as NDJSON or CSV, a backup `users restore` reads back; password hashes only with --include-hashes (R11)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pools;users;help;list' {
            break
        }
        'pools;users;help;show' {
            break
        }
        'pools;users;help;create' {
            break
        }
        'pools;users;help;import' {
            break
        }
        'pools;users;help;restore' {
            break
        }
        'pools;users;help;set-metadata' {
            break
        }
        'pools;users;help;export' {
            break
        }
        'pools;users;help;help' {
            break
        }
        'pools;export' {
            [CompletionResult]::new('--relative-to', '--relative-to', [CompletionResultType]::ParameterName, 'Write paths relative to this directory: where the exported file will be saved [default: absolute paths]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Format of the document: YAML for `pools apply`, or the same document as JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Format of the document: YAML for `pools apply`, or the same document as JSON')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt: fail instead, naming what is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, warnings and errors (no notes, hints of next steps or progress)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (store location, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pools;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a user pool')
            [CompletionResult]::new('configure', 'configure', [CompletionResultType]::ParameterValue, 'Change settings of a pool')
            [CompletionResult]::new('reorder', 'reorder', [CompletionResultType]::ParameterValue, 'Set the login order of the pools (R5)')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show the pools in login order, or every setting of one pool')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a pool')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Make the store match a YAML file of pools')
            [CompletionResult]::new('simulate-login', 'simulate-login', [CompletionResultType]::ParameterValue, 'Rehearse a login offline with the real engine (R14)')
            [CompletionResult]::new('methods', 'methods', [CompletionResultType]::ParameterValue, 'List or change the environment''s sign-in methods (R8, R9)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Migration progress per pool: can a source be retired yet?')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Scan export files and the store for what needs attention')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Probe pools'' sources for their prerequisites, each failure with its fix')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Show the audit log: every change made to this store, who made it and when')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run the environment server over the store, or manage its bearer tokens')
            [CompletionResult]::new('env', 'env', [CompletionResultType]::ParameterValue, 'Remote environments: `pools serve` servers that commands reach with --env NAME')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script on stdout')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Write the man pages into DIR/man1, a manual tree: read them with `man -M DIR pools`')
            [CompletionResult]::new('users', 'users', [CompletionResultType]::ParameterValue, 'Inspect and manage users of the local store')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print the pools and their order as YAML for `pools apply`')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pools;help;create' {
            break
        }
        'pools;help;configure' {
            break
        }
        'pools;help;reorder' {
            break
        }
        'pools;help;inspect' {
            break
        }
        'pools;help;delete' {
            break
        }
        'pools;help;apply' {
            break
        }
        'pools;help;simulate-login' {
            break
        }
        'pools;help;methods' {
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Enable a method for this environment')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Disable a method for this environment')
            break
        }
        'pools;help;methods;enable' {
            break
        }
        'pools;help;methods;disable' {
            break
        }
        'pools;help;status' {
            break
        }
        'pools;help;doctor' {
            break
        }
        'pools;help;check' {
            break
        }
        'pools;help;audit' {
            break
        }
        'pools;help;serve' {
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Manage the server''s bearer tokens')
            break
        }
        'pools;help;serve;token' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Issue a token; it is printed once, alone on the last line of stdout')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the tokens (names and roles; never a token)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke a token: the server refuses it from the next request on')
            break
        }
        'pools;help;serve;token;create' {
            break
        }
        'pools;help;serve;token;list' {
            break
        }
        'pools;help;serve;token;revoke' {
            break
        }
        'pools;help;env' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add an environment: the URL its server answers at (https, or http on loopback)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the environments (the one in use marked *)')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make commands use this environment when neither --env nor --store is given')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove an environment and forget its token')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Keep a token for an environment (a hidden prompt on a terminal)')
            break
        }
        'pools;help;env;add' {
            break
        }
        'pools;help;env;list' {
            break
        }
        'pools;help;env;use' {
            break
        }
        'pools;help;env;remove' {
            break
        }
        'pools;help;env;login' {
            break
        }
        'pools;help;completions' {
            break
        }
        'pools;help;man' {
            break
        }
        'pools;help;users' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List users in identifier order, a page at a time (never their hashes, R11)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one user, with its aliases (other login names, R6) and the sign-in methods left to it (R8, R9)')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a native user; the password is read from stdin and stored as argon2id')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import an export file into the store as users migrated from a pool')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Restore users from a backup written by `pools users export`')
            [CompletionResult]::new('set-metadata', 'set-metadata', [CompletionResultType]::ParameterValue, 'Set metadata keys (merged into the user''s metadata); refused for sync copies (R7)')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Stream users out as NDJSON or CSV, a backup `users restore` reads back; password hashes only with --include-hashes (R11)')
            break
        }
        'pools;help;users;list' {
            break
        }
        'pools;help;users;show' {
            break
        }
        'pools;help;users;create' {
            break
        }
        'pools;help;users;import' {
            break
        }
        'pools;help;users;restore' {
            break
        }
        'pools;help;users;set-metadata' {
            break
        }
        'pools;help;users;export' {
            break
        }
        'pools;help;export' {
            break
        }
        'pools;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
