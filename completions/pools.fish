# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_pools_global_optspecs
    string join \n store= env= o/output= no-input y/yes q/quiet v/verbose h/help V/version
end

function __fish_pools_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_pools_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_pools_using_subcommand
    set -l cmd (__fish_pools_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c pools -n "__fish_pools_needs_command" -l store -d 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]' -r -F
complete -c pools -n "__fish_pools_needs_command" -l env -d 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]' -r
complete -c pools -n "__fish_pools_needs_command" -s o -l output -d 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr' -r -f -a "table\t''
json\t''
yaml\t''
ndjson\t''"
complete -c pools -n "__fish_pools_needs_command" -l no-input -d 'Never prompt: fail instead, naming what is missing'
complete -c pools -n "__fish_pools_needs_command" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c pools -n "__fish_pools_needs_command" -s q -l quiet -d 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
complete -c pools -n "__fish_pools_needs_command" -s v -l verbose -d 'Print more detail on stderr (store location, timings)'
complete -c pools -n "__fish_pools_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pools -n "__fish_pools_needs_command" -s V -l version -d 'Print version'
complete -c pools -n "__fish_pools_needs_command" -f -a "create" -d 'Create a user pool'
complete -c pools -n "__fish_pools_needs_command" -f -a "configure" -d 'Change settings of a pool'
complete -c pools -n "__fish_pools_needs_command" -f -a "reorder" -d 'Set the login order of the pools (R5)'
complete -c pools -n "__fish_pools_needs_command" -f -a "inspect" -d 'Show the pools in login order, or every setting of one pool'
complete -c pools -n "__fish_pools_needs_command" -f -a "list" -d 'Show the pools in login order, or every setting of one pool'
complete -c pools -n "__fish_pools_needs_command" -f -a "delete" -d 'Delete a pool'
complete -c pools -n "__fish_pools_needs_command" -f -a "apply" -d 'Make the store match a YAML file of pools'
complete -c pools -n "__fish_pools_needs_command" -f -a "simulate-login" -d 'Rehearse a login offline with the real engine (R14)'
complete -c pools -n "__fish_pools_needs_command" -f -a "methods" -d 'List or change the environment\'s sign-in methods (R8, R9)'
complete -c pools -n "__fish_pools_needs_command" -f -a "status" -d 'Migration progress per pool: can a source be retired yet?'
complete -c pools -n "__fish_pools_needs_command" -f -a "doctor" -d 'Scan export files and the store for what needs attention'
complete -c pools -n "__fish_pools_needs_command" -f -a "check" -d 'Probe pools\' sources for their prerequisites, each failure with its fix'
complete -c pools -n "__fish_pools_needs_command" -f -a "audit" -d 'Show the audit log: every change made to this store, who made it and when'
complete -c pools -n "__fish_pools_needs_command" -f -a "serve" -d 'Run the environment server over the store, or manage its bearer tokens'
complete -c pools -n "__fish_pools_needs_command" -f -a "env" -d 'Remote environments: `pools serve` servers that commands reach with --env NAME'
complete -c pools -n "__fish_pools_needs_command" -f -a "completions" -d 'Print a shell completion script on stdout'
complete -c pools -n "__fish_pools_needs_command" -f -a "man" -d 'Write the man pages into DIR/man1, a manual tree: read them with `man -M DIR pools`'
complete -c pools -n "__fish_pools_needs_command" -f -a "users" -d 'Inspect and manage users of the local store'
complete -c pools -n "__fish_pools_needs_command" -f -a "export" -d 'Print the pools and their order as YAML for `pools apply`'
complete -c pools -n "__fish_pools_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pools -n "__fish_pools_using_subcommand create" -l type -d 'external (a user database) or idp (OpenID Connect federation)' -r -f -a "external\t''
idp\t''"
complete -c pools -n "__fish_pools_using_subcommand create" -l source -d 'auth0 | cognito | firebase | custom | export (external); oidc (idp, the default there)' -r -f -a "auth0\t'Auth0 tenant, through the Resource Owner Password grant'
cognito\t'AWS Cognito user pool, through `USER_PASSWORD_AUTH`'
firebase\t'Firebase Authentication, through the Identity Toolkit REST API'
custom\t'An HTTP endpoint of the operator\'s'
export\t'An export file (offline: rehearsals and bulk migration)'
oidc\t'OpenID Connect IdP federation (the only source of `idp` pools)'"
complete -c pools -n "__fish_pools_using_subcommand create" -l position -d '1-based place in the login order [default: last]' -r
complete -c pools -n "__fish_pools_using_subcommand create" -l tenant-fallback -d 'Used when a property tenant is missing or unusable: fixed:<value> | auto | none' -r
complete -c pools -n "__fish_pools_using_subcommand create" -l allow -d 'Extra sign-in methods for the pool\'s users (R9), comma-separated, or none' -r -f -a "social\t''
sso\t''
passwordless\t''
none\t''"
complete -c pools -n "__fish_pools_using_subcommand create" -l domains -d 'Send only identifiers of these email domains to the pool (example.com,*.example.org), or none' -r
complete -c pools -n "__fish_pools_using_subcommand create" -l timeout-ms -d 'How long a login waits for this pool\'s answer, in milliseconds (1..=600000; default 5000): past it, or past the login\'s budget, the pool is source_unavailable (R5)' -r
complete -c pools -n "__fish_pools_using_subcommand create" -l domain -d 'auth0: tenant domain, e.g. acme.eu.auth0.com' -r
complete -c pools -n "__fish_pools_using_subcommand create" -l client-id -d 'auth0, cognito, idp: the client ID' -r
complete -c pools -n "__fish_pools_using_subcommand create" -l client-secret -d 'auth0, idp, cognito (when its app client has one): env:VAR | file:PATH | keyring:NAME | - (read from stdin) (R11)' -r
complete -c pools -n "__fish_pools_using_subcommand create" -l connection -d 'auth0: the database connection (realm) [default: Username-Password-Authentication]' -r
complete -c pools -n "__fish_pools_using_subcommand create" -l region -d 'cognito: AWS region, e.g. eu-west-1' -r
complete -c pools -n "__fish_pools_using_subcommand create" -l user-pool-id -d 'cognito: user pool ID, e.g. eu-west-1_AbCdEfGhI' -r
complete -c pools -n "__fish_pools_using_subcommand create" -l endpoint-url -d 'cognito, firebase, auth0: override the service endpoint (emulators; http allowed on loopback)' -r
complete -c pools -n "__fish_pools_using_subcommand create" -l project-id -d 'firebase: project ID' -r
complete -c pools -n "__fish_pools_using_subcommand create" -l api-key -d 'firebase: Web API key: env:VAR | file:PATH | keyring:NAME | - (R11)' -r
complete -c pools -n "__fish_pools_using_subcommand create" -l url -d 'custom: the endpoint URL (https, or http on loopback)' -r
complete -c pools -n "__fish_pools_using_subcommand create" -l auth-header -d 'custom: Authorization header value: env:VAR | file:PATH | keyring:NAME | - (R11)' -r
complete -c pools -n "__fish_pools_using_subcommand create" -l file -d 'export: the export file' -r
complete -c pools -n "__fish_pools_using_subcommand create" -l format -d 'export: firebase | auth0-json | auth0-ndjson | keycloak | cognito | csv [default: detected]' -r
complete -c pools -n "__fish_pools_using_subcommand create" -l hash-config -d 'export: Firebase password-hash parameters (JSON as the console shows them)' -r
complete -c pools -n "__fish_pools_using_subcommand create" -l issuer -d 'idp: issuer URL (serves /.well-known/openid-configuration)' -r
complete -c pools -n "__fish_pools_using_subcommand create" -l tenant-claim -d 'idp: the claim that carries the tenant ID' -r
complete -c pools -n "__fish_pools_using_subcommand create" -l mode -d 'passthrough | sync | jit (jit: external pools only, R2) [default: passthrough]' -r -f -a "passthrough\t'Authenticate at the source at every login; editable local shadow copy'
sync\t'As passthrough, attributes overwritten at every login; read-only shadow copy'
jit\t'First successful login migrates the user into the local store for good'"
complete -c pools -n "__fish_pools_using_subcommand create" -l tenant -d 'Tenant ID source: property:<path> | fixed:<value> | auto (R4) [default: auto: a new tenant per new user, kept by migrated users for good; idp pools with --tenant-claim: property:<claim>]' -r
complete -c pools -n "__fish_pools_using_subcommand create" -l store -d 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]' -r -F
complete -c pools -n "__fish_pools_using_subcommand create" -l env -d 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]' -r
complete -c pools -n "__fish_pools_using_subcommand create" -s o -l output -d 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr' -r -f -a "table\t''
json\t''
yaml\t''
ndjson\t''"
complete -c pools -n "__fish_pools_using_subcommand create" -l disable -d 'Create the pool disabled (not asked at login until `pools configure NAME --enable`)'
complete -c pools -n "__fish_pools_using_subcommand create" -l no-input -d 'Never prompt: fail instead, naming what is missing'
complete -c pools -n "__fish_pools_using_subcommand create" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c pools -n "__fish_pools_using_subcommand create" -s q -l quiet -d 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
complete -c pools -n "__fish_pools_using_subcommand create" -s v -l verbose -d 'Print more detail on stderr (store location, timings)'
complete -c pools -n "__fish_pools_using_subcommand create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pools -n "__fish_pools_using_subcommand configure" -l if-version -d 'Refuse unless the pool is still at this version (see `pools inspect NAME`) (R12)' -r
complete -c pools -n "__fish_pools_using_subcommand configure" -l tenant-fallback -d 'Used when a property tenant is missing or unusable: fixed:<value> | auto | none' -r
complete -c pools -n "__fish_pools_using_subcommand configure" -l allow -d 'Extra sign-in methods for the pool\'s users (R9), comma-separated, or none' -r -f -a "social\t''
sso\t''
passwordless\t''
none\t''"
complete -c pools -n "__fish_pools_using_subcommand configure" -l domains -d 'Send only identifiers of these email domains to the pool (example.com,*.example.org), or none' -r
complete -c pools -n "__fish_pools_using_subcommand configure" -l timeout-ms -d 'How long a login waits for this pool\'s answer, in milliseconds (1..=600000; default 5000): past it, or past the login\'s budget, the pool is source_unavailable (R5)' -r
complete -c pools -n "__fish_pools_using_subcommand configure" -l domain -d 'auth0: tenant domain, e.g. acme.eu.auth0.com' -r
complete -c pools -n "__fish_pools_using_subcommand configure" -l client-id -d 'auth0, cognito, idp: the client ID' -r
complete -c pools -n "__fish_pools_using_subcommand configure" -l client-secret -d 'auth0, idp, cognito (when its app client has one): env:VAR | file:PATH | keyring:NAME | - (read from stdin) (R11)' -r
complete -c pools -n "__fish_pools_using_subcommand configure" -l connection -d 'auth0: the database connection (realm) [default: Username-Password-Authentication]' -r
complete -c pools -n "__fish_pools_using_subcommand configure" -l region -d 'cognito: AWS region, e.g. eu-west-1' -r
complete -c pools -n "__fish_pools_using_subcommand configure" -l user-pool-id -d 'cognito: user pool ID, e.g. eu-west-1_AbCdEfGhI' -r
complete -c pools -n "__fish_pools_using_subcommand configure" -l endpoint-url -d 'cognito, firebase, auth0: override the service endpoint (emulators; http allowed on loopback)' -r
complete -c pools -n "__fish_pools_using_subcommand configure" -l project-id -d 'firebase: project ID' -r
complete -c pools -n "__fish_pools_using_subcommand configure" -l api-key -d 'firebase: Web API key: env:VAR | file:PATH | keyring:NAME | - (R11)' -r
complete -c pools -n "__fish_pools_using_subcommand configure" -l url -d 'custom: the endpoint URL (https, or http on loopback)' -r
complete -c pools -n "__fish_pools_using_subcommand configure" -l auth-header -d 'custom: Authorization header value: env:VAR | file:PATH | keyring:NAME | - (R11)' -r
complete -c pools -n "__fish_pools_using_subcommand configure" -l file -d 'export: the export file' -r
complete -c pools -n "__fish_pools_using_subcommand configure" -l format -d 'export: firebase | auth0-json | auth0-ndjson | keycloak | cognito | csv [default: detected]' -r
complete -c pools -n "__fish_pools_using_subcommand configure" -l hash-config -d 'export: Firebase password-hash parameters (JSON as the console shows them)' -r
complete -c pools -n "__fish_pools_using_subcommand configure" -l issuer -d 'idp: issuer URL (serves /.well-known/openid-configuration)' -r
complete -c pools -n "__fish_pools_using_subcommand configure" -l tenant-claim -d 'idp: the claim that carries the tenant ID' -r
complete -c pools -n "__fish_pools_using_subcommand configure" -l mode -d 'passthrough | sync | jit (jit: external pools only, R2) [default: unchanged]' -r -f -a "passthrough\t'Authenticate at the source at every login; editable local shadow copy'
sync\t'As passthrough, attributes overwritten at every login; read-only shadow copy'
jit\t'First successful login migrates the user into the local store for good'"
complete -c pools -n "__fish_pools_using_subcommand configure" -l tenant -d 'Tenant ID source: property:<path> | fixed:<value> | auto (R4); applies to users created from now on [default: unchanged]' -r
complete -c pools -n "__fish_pools_using_subcommand configure" -l store -d 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]' -r -F
complete -c pools -n "__fish_pools_using_subcommand configure" -l env -d 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]' -r
complete -c pools -n "__fish_pools_using_subcommand configure" -s o -l output -d 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr' -r -f -a "table\t''
json\t''
yaml\t''
ndjson\t''"
complete -c pools -n "__fish_pools_using_subcommand configure" -l enable -d 'Enable the pool'
complete -c pools -n "__fish_pools_using_subcommand configure" -l disable -d 'Disable the pool: it is skipped at login (its migrated users still log in, R3)'
complete -c pools -n "__fish_pools_using_subcommand configure" -l force -d 'Change the source (an export pool\'s file or format) even though users still need it (R10)'
complete -c pools -n "__fish_pools_using_subcommand configure" -l no-input -d 'Never prompt: fail instead, naming what is missing'
complete -c pools -n "__fish_pools_using_subcommand configure" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c pools -n "__fish_pools_using_subcommand configure" -s q -l quiet -d 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
complete -c pools -n "__fish_pools_using_subcommand configure" -s v -l verbose -d 'Print more detail on stderr (store location, timings)'
complete -c pools -n "__fish_pools_using_subcommand configure" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pools -n "__fish_pools_using_subcommand reorder" -l move -d 'Move one pool instead of giving the full order' -r
complete -c pools -n "__fish_pools_using_subcommand reorder" -l to -d 'New 1-based position of the moved pool' -r
complete -c pools -n "__fish_pools_using_subcommand reorder" -l before -d 'Put the moved pool just before this one' -r
complete -c pools -n "__fish_pools_using_subcommand reorder" -l after -d 'Put the moved pool just after this one' -r
complete -c pools -n "__fish_pools_using_subcommand reorder" -l store -d 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]' -r -F
complete -c pools -n "__fish_pools_using_subcommand reorder" -l env -d 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]' -r
complete -c pools -n "__fish_pools_using_subcommand reorder" -s o -l output -d 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr' -r -f -a "table\t''
json\t''
yaml\t''
ndjson\t''"
complete -c pools -n "__fish_pools_using_subcommand reorder" -l no-input -d 'Never prompt: fail instead, naming what is missing'
complete -c pools -n "__fish_pools_using_subcommand reorder" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c pools -n "__fish_pools_using_subcommand reorder" -s q -l quiet -d 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
complete -c pools -n "__fish_pools_using_subcommand reorder" -s v -l verbose -d 'Print more detail on stderr (store location, timings)'
complete -c pools -n "__fish_pools_using_subcommand reorder" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pools -n "__fish_pools_using_subcommand inspect" -l store -d 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]' -r -F
complete -c pools -n "__fish_pools_using_subcommand inspect" -l env -d 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]' -r
complete -c pools -n "__fish_pools_using_subcommand inspect" -s o -l output -d 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr' -r -f -a "table\t''
json\t''
yaml\t''
ndjson\t''"
complete -c pools -n "__fish_pools_using_subcommand inspect" -l no-input -d 'Never prompt: fail instead, naming what is missing'
complete -c pools -n "__fish_pools_using_subcommand inspect" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c pools -n "__fish_pools_using_subcommand inspect" -s q -l quiet -d 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
complete -c pools -n "__fish_pools_using_subcommand inspect" -s v -l verbose -d 'Print more detail on stderr (store location, timings)'
complete -c pools -n "__fish_pools_using_subcommand inspect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pools -n "__fish_pools_using_subcommand list" -l store -d 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]' -r -F
complete -c pools -n "__fish_pools_using_subcommand list" -l env -d 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]' -r
complete -c pools -n "__fish_pools_using_subcommand list" -s o -l output -d 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr' -r -f -a "table\t''
json\t''
yaml\t''
ndjson\t''"
complete -c pools -n "__fish_pools_using_subcommand list" -l no-input -d 'Never prompt: fail instead, naming what is missing'
complete -c pools -n "__fish_pools_using_subcommand list" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c pools -n "__fish_pools_using_subcommand list" -s q -l quiet -d 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
complete -c pools -n "__fish_pools_using_subcommand list" -s v -l verbose -d 'Print more detail on stderr (store location, timings)'
complete -c pools -n "__fish_pools_using_subcommand list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pools -n "__fish_pools_using_subcommand delete" -l if-version -d 'Refuse unless the pool is still at this version (R12)' -r
complete -c pools -n "__fish_pools_using_subcommand delete" -l store -d 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]' -r -F
complete -c pools -n "__fish_pools_using_subcommand delete" -l env -d 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]' -r
complete -c pools -n "__fish_pools_using_subcommand delete" -s o -l output -d 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr' -r -f -a "table\t''
json\t''
yaml\t''
ndjson\t''"
complete -c pools -n "__fish_pools_using_subcommand delete" -l force -d 'Also delete when users still need the pool to log in: shadow copies go with it, imported users without a hash stay but cannot log in any more'
complete -c pools -n "__fish_pools_using_subcommand delete" -l no-input -d 'Never prompt: fail instead, naming what is missing'
complete -c pools -n "__fish_pools_using_subcommand delete" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c pools -n "__fish_pools_using_subcommand delete" -s q -l quiet -d 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
complete -c pools -n "__fish_pools_using_subcommand delete" -s v -l verbose -d 'Print more detail on stderr (store location, timings)'
complete -c pools -n "__fish_pools_using_subcommand delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pools -n "__fish_pools_using_subcommand apply" -s f -l file -d 'The YAML (or JSON) document, as written by `pools export`' -r -F
complete -c pools -n "__fish_pools_using_subcommand apply" -l store -d 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]' -r -F
complete -c pools -n "__fish_pools_using_subcommand apply" -l env -d 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]' -r
complete -c pools -n "__fish_pools_using_subcommand apply" -s o -l output -d 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr' -r -f -a "table\t''
json\t''
yaml\t''
ndjson\t''"
complete -c pools -n "__fish_pools_using_subcommand apply" -l dry-run -d 'Print the plan, write nothing'
complete -c pools -n "__fish_pools_using_subcommand apply" -l prune -d 'Delete pools that the file does not name (needs --yes without a terminal)'
complete -c pools -n "__fish_pools_using_subcommand apply" -l force -d 'Delete (--prune) or change the source of pools whose users still need them (R10)'
complete -c pools -n "__fish_pools_using_subcommand apply" -l no-input -d 'Never prompt: fail instead, naming what is missing'
complete -c pools -n "__fish_pools_using_subcommand apply" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c pools -n "__fish_pools_using_subcommand apply" -s q -l quiet -d 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
complete -c pools -n "__fish_pools_using_subcommand apply" -s v -l verbose -d 'Print more detail on stderr (store location, timings)'
complete -c pools -n "__fish_pools_using_subcommand apply" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pools -n "__fish_pools_using_subcommand simulate-login" -l password-file -d 'Read the password from a file (first line)' -r -F
complete -c pools -n "__fish_pools_using_subcommand simulate-login" -l claims -d 'The claims of the ID token an IdP would return (JSON object; iss, aud, exp, iat and sub are checked), to rehearse idp federation' -r -F
complete -c pools -n "__fish_pools_using_subcommand simulate-login" -l budget-ms -d 'The time the whole login may take, in milliseconds (1..=600000): a pool not yet asked when it runs out fails the login closed (source_unavailable, R5)' -r
complete -c pools -n "__fish_pools_using_subcommand simulate-login" -l store -d 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]' -r -F
complete -c pools -n "__fish_pools_using_subcommand simulate-login" -l env -d 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]' -r
complete -c pools -n "__fish_pools_using_subcommand simulate-login" -s o -l output -d 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr' -r -f -a "table\t''
json\t''
yaml\t''
ndjson\t''"
complete -c pools -n "__fish_pools_using_subcommand simulate-login" -l password-stdin -d 'Read the password from stdin (one line)'
complete -c pools -n "__fish_pools_using_subcommand simulate-login" -l commit -d 'Persist the outcome exactly as a real login would (migration, shadow copy, hash upgrade)'
complete -c pools -n "__fish_pools_using_subcommand simulate-login" -l no-input -d 'Never prompt: fail instead, naming what is missing'
complete -c pools -n "__fish_pools_using_subcommand simulate-login" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c pools -n "__fish_pools_using_subcommand simulate-login" -s q -l quiet -d 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
complete -c pools -n "__fish_pools_using_subcommand simulate-login" -s v -l verbose -d 'Print more detail on stderr (store location, timings)'
complete -c pools -n "__fish_pools_using_subcommand simulate-login" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pools -n "__fish_pools_using_subcommand methods; and not __fish_seen_subcommand_from enable disable help" -l store -d 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]' -r -F
complete -c pools -n "__fish_pools_using_subcommand methods; and not __fish_seen_subcommand_from enable disable help" -l env -d 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]' -r
complete -c pools -n "__fish_pools_using_subcommand methods; and not __fish_seen_subcommand_from enable disable help" -s o -l output -d 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr' -r -f -a "table\t''
json\t''
yaml\t''
ndjson\t''"
complete -c pools -n "__fish_pools_using_subcommand methods; and not __fish_seen_subcommand_from enable disable help" -l no-input -d 'Never prompt: fail instead, naming what is missing'
complete -c pools -n "__fish_pools_using_subcommand methods; and not __fish_seen_subcommand_from enable disable help" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c pools -n "__fish_pools_using_subcommand methods; and not __fish_seen_subcommand_from enable disable help" -s q -l quiet -d 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
complete -c pools -n "__fish_pools_using_subcommand methods; and not __fish_seen_subcommand_from enable disable help" -s v -l verbose -d 'Print more detail on stderr (store location, timings)'
complete -c pools -n "__fish_pools_using_subcommand methods; and not __fish_seen_subcommand_from enable disable help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pools -n "__fish_pools_using_subcommand methods; and not __fish_seen_subcommand_from enable disable help" -f -a "enable" -d 'Enable a method for this environment'
complete -c pools -n "__fish_pools_using_subcommand methods; and not __fish_seen_subcommand_from enable disable help" -f -a "disable" -d 'Disable a method for this environment'
complete -c pools -n "__fish_pools_using_subcommand methods; and not __fish_seen_subcommand_from enable disable help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pools -n "__fish_pools_using_subcommand methods; and __fish_seen_subcommand_from enable" -l store -d 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]' -r -F
complete -c pools -n "__fish_pools_using_subcommand methods; and __fish_seen_subcommand_from enable" -l env -d 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]' -r
complete -c pools -n "__fish_pools_using_subcommand methods; and __fish_seen_subcommand_from enable" -s o -l output -d 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr' -r -f -a "table\t''
json\t''
yaml\t''
ndjson\t''"
complete -c pools -n "__fish_pools_using_subcommand methods; and __fish_seen_subcommand_from enable" -l no-input -d 'Never prompt: fail instead, naming what is missing'
complete -c pools -n "__fish_pools_using_subcommand methods; and __fish_seen_subcommand_from enable" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c pools -n "__fish_pools_using_subcommand methods; and __fish_seen_subcommand_from enable" -s q -l quiet -d 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
complete -c pools -n "__fish_pools_using_subcommand methods; and __fish_seen_subcommand_from enable" -s v -l verbose -d 'Print more detail on stderr (store location, timings)'
complete -c pools -n "__fish_pools_using_subcommand methods; and __fish_seen_subcommand_from enable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pools -n "__fish_pools_using_subcommand methods; and __fish_seen_subcommand_from disable" -l store -d 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]' -r -F
complete -c pools -n "__fish_pools_using_subcommand methods; and __fish_seen_subcommand_from disable" -l env -d 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]' -r
complete -c pools -n "__fish_pools_using_subcommand methods; and __fish_seen_subcommand_from disable" -s o -l output -d 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr' -r -f -a "table\t''
json\t''
yaml\t''
ndjson\t''"
complete -c pools -n "__fish_pools_using_subcommand methods; and __fish_seen_subcommand_from disable" -l no-input -d 'Never prompt: fail instead, naming what is missing'
complete -c pools -n "__fish_pools_using_subcommand methods; and __fish_seen_subcommand_from disable" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c pools -n "__fish_pools_using_subcommand methods; and __fish_seen_subcommand_from disable" -s q -l quiet -d 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
complete -c pools -n "__fish_pools_using_subcommand methods; and __fish_seen_subcommand_from disable" -s v -l verbose -d 'Print more detail on stderr (store location, timings)'
complete -c pools -n "__fish_pools_using_subcommand methods; and __fish_seen_subcommand_from disable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pools -n "__fish_pools_using_subcommand methods; and __fish_seen_subcommand_from help" -f -a "enable" -d 'Enable a method for this environment'
complete -c pools -n "__fish_pools_using_subcommand methods; and __fish_seen_subcommand_from help" -f -a "disable" -d 'Disable a method for this environment'
complete -c pools -n "__fish_pools_using_subcommand methods; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pools -n "__fish_pools_using_subcommand status" -l store -d 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]' -r -F
complete -c pools -n "__fish_pools_using_subcommand status" -l env -d 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]' -r
complete -c pools -n "__fish_pools_using_subcommand status" -s o -l output -d 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr' -r -f -a "table\t''
json\t''
yaml\t''
ndjson\t''"
complete -c pools -n "__fish_pools_using_subcommand status" -l no-input -d 'Never prompt: fail instead, naming what is missing'
complete -c pools -n "__fish_pools_using_subcommand status" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c pools -n "__fish_pools_using_subcommand status" -s q -l quiet -d 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
complete -c pools -n "__fish_pools_using_subcommand status" -s v -l verbose -d 'Print more detail on stderr (store location, timings)'
complete -c pools -n "__fish_pools_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pools -n "__fish_pools_using_subcommand doctor" -l pool -d 'Only these pools [default: every export pool]' -r
complete -c pools -n "__fish_pools_using_subcommand doctor" -l store -d 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]' -r -F
complete -c pools -n "__fish_pools_using_subcommand doctor" -l env -d 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]' -r
complete -c pools -n "__fish_pools_using_subcommand doctor" -s o -l output -d 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr' -r -f -a "table\t''
json\t''
yaml\t''
ndjson\t''"
complete -c pools -n "__fish_pools_using_subcommand doctor" -l no-input -d 'Never prompt: fail instead, naming what is missing'
complete -c pools -n "__fish_pools_using_subcommand doctor" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c pools -n "__fish_pools_using_subcommand doctor" -s q -l quiet -d 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
complete -c pools -n "__fish_pools_using_subcommand doctor" -s v -l verbose -d 'Print more detail on stderr (store location, timings)'
complete -c pools -n "__fish_pools_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pools -n "__fish_pools_using_subcommand check" -l store -d 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]' -r -F
complete -c pools -n "__fish_pools_using_subcommand check" -l env -d 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]' -r
complete -c pools -n "__fish_pools_using_subcommand check" -s o -l output -d 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr' -r -f -a "table\t''
json\t''
yaml\t''
ndjson\t''"
complete -c pools -n "__fish_pools_using_subcommand check" -l no-input -d 'Never prompt: fail instead, naming what is missing'
complete -c pools -n "__fish_pools_using_subcommand check" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c pools -n "__fish_pools_using_subcommand check" -s q -l quiet -d 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
complete -c pools -n "__fish_pools_using_subcommand check" -s v -l verbose -d 'Print more detail on stderr (store location, timings)'
complete -c pools -n "__fish_pools_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pools -n "__fish_pools_using_subcommand audit" -l since -d 'Only entries from this time on: RFC 3339 (`2026-12-04T09:00:00Z`) or a UTC day (`2026-12-04`)' -r
complete -c pools -n "__fish_pools_using_subcommand audit" -l pool -d 'Only entries about this pool' -r
complete -c pools -n "__fish_pools_using_subcommand audit" -l store -d 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]' -r -F
complete -c pools -n "__fish_pools_using_subcommand audit" -l env -d 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]' -r
complete -c pools -n "__fish_pools_using_subcommand audit" -s o -l output -d 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr' -r -f -a "table\t''
json\t''
yaml\t''
ndjson\t''"
complete -c pools -n "__fish_pools_using_subcommand audit" -l no-input -d 'Never prompt: fail instead, naming what is missing'
complete -c pools -n "__fish_pools_using_subcommand audit" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c pools -n "__fish_pools_using_subcommand audit" -s q -l quiet -d 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
complete -c pools -n "__fish_pools_using_subcommand audit" -s v -l verbose -d 'Print more detail on stderr (store location, timings)'
complete -c pools -n "__fish_pools_using_subcommand audit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pools -n "__fish_pools_using_subcommand serve; and not __fish_seen_subcommand_from token help" -l listen -d 'The address to listen on (port 0: any free port; the address taken is printed)' -r
complete -c pools -n "__fish_pools_using_subcommand serve; and not __fish_seen_subcommand_from token help" -l key-file -d 'A file holding the server\'s key (standard base64 of 32 bytes; mode 600) [default: $POOLS_SERVER_KEY]' -r -F
complete -c pools -n "__fish_pools_using_subcommand serve; and not __fish_seen_subcommand_from token help" -l secrets-file -d 'The sealed secrets file: every secret the server keeps or looks up (`keyring:NAME`), each encrypted with the key (AES-256-GCM), mode 600 [default: the store\'s path with `.secrets.json` appended]' -r -F
complete -c pools -n "__fish_pools_using_subcommand serve; and not __fish_seen_subcommand_from token help" -l tls-cert -d 'Serve https with this certificate chain (PEM: the server\'s certificate, then any intermediates); needs --tls-key. With TLS any address may be listened on' -r -F
complete -c pools -n "__fish_pools_using_subcommand serve; and not __fish_seen_subcommand_from token help" -l tls-key -d 'The private key of --tls-cert\'s certificate (PEM: PKCS#8, PKCS#1 or SEC1, not encrypted); needs --tls-cert' -r -F
complete -c pools -n "__fish_pools_using_subcommand serve; and not __fish_seen_subcommand_from token help" -l login-rate-per-identifier -d 'POST /v1/login attempts allowed per identifier per minute; past it, 429 with Retry-After' -r
complete -c pools -n "__fish_pools_using_subcommand serve; and not __fish_seen_subcommand_from token help" -l login-rate-per-client -d 'POST /v1/login attempts allowed per client address per minute (an application\'s backend calls for all its users from one address)' -r
complete -c pools -n "__fish_pools_using_subcommand serve; and not __fish_seen_subcommand_from token help" -l log-format -d 'How log lines are written on stderr (levels from POOLS_LOG, e.g. `info`, `debug`)' -r -f -a "text\t''
json\t''"
complete -c pools -n "__fish_pools_using_subcommand serve; and not __fish_seen_subcommand_from token help" -l store -d 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]' -r -F
complete -c pools -n "__fish_pools_using_subcommand serve; and not __fish_seen_subcommand_from token help" -l env -d 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]' -r
complete -c pools -n "__fish_pools_using_subcommand serve; and not __fish_seen_subcommand_from token help" -s o -l output -d 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr' -r -f -a "table\t''
json\t''
yaml\t''
ndjson\t''"
complete -c pools -n "__fish_pools_using_subcommand serve; and not __fish_seen_subcommand_from token help" -l insecure-http -d 'Allow plain http on an address that is not loopback: TLS is terminated in front of the server (a load balancer, a proxy)'
complete -c pools -n "__fish_pools_using_subcommand serve; and not __fish_seen_subcommand_from token help" -l no-input -d 'Never prompt: fail instead, naming what is missing'
complete -c pools -n "__fish_pools_using_subcommand serve; and not __fish_seen_subcommand_from token help" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c pools -n "__fish_pools_using_subcommand serve; and not __fish_seen_subcommand_from token help" -s q -l quiet -d 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
complete -c pools -n "__fish_pools_using_subcommand serve; and not __fish_seen_subcommand_from token help" -s v -l verbose -d 'Print more detail on stderr (store location, timings)'
complete -c pools -n "__fish_pools_using_subcommand serve; and not __fish_seen_subcommand_from token help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pools -n "__fish_pools_using_subcommand serve; and not __fish_seen_subcommand_from token help" -f -a "token" -d 'Manage the server\'s bearer tokens'
complete -c pools -n "__fish_pools_using_subcommand serve; and not __fish_seen_subcommand_from token help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pools -n "__fish_pools_using_subcommand serve; and __fish_seen_subcommand_from token" -l store -d 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]' -r -F
complete -c pools -n "__fish_pools_using_subcommand serve; and __fish_seen_subcommand_from token" -l env -d 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]' -r
complete -c pools -n "__fish_pools_using_subcommand serve; and __fish_seen_subcommand_from token" -s o -l output -d 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr' -r -f -a "table\t''
json\t''
yaml\t''
ndjson\t''"
complete -c pools -n "__fish_pools_using_subcommand serve; and __fish_seen_subcommand_from token" -l no-input -d 'Never prompt: fail instead, naming what is missing'
complete -c pools -n "__fish_pools_using_subcommand serve; and __fish_seen_subcommand_from token" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c pools -n "__fish_pools_using_subcommand serve; and __fish_seen_subcommand_from token" -s q -l quiet -d 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
complete -c pools -n "__fish_pools_using_subcommand serve; and __fish_seen_subcommand_from token" -s v -l verbose -d 'Print more detail on stderr (store location, timings)'
complete -c pools -n "__fish_pools_using_subcommand serve; and __fish_seen_subcommand_from token" -s h -l help -d 'Print help'
complete -c pools -n "__fish_pools_using_subcommand serve; and __fish_seen_subcommand_from token" -f -a "create" -d 'Issue a token; it is printed once, alone on the last line of stdout'
complete -c pools -n "__fish_pools_using_subcommand serve; and __fish_seen_subcommand_from token" -f -a "list" -d 'List the tokens (names and roles; never a token)'
complete -c pools -n "__fish_pools_using_subcommand serve; and __fish_seen_subcommand_from token" -f -a "revoke" -d 'Revoke a token: the server refuses it from the next request on'
complete -c pools -n "__fish_pools_using_subcommand serve; and __fish_seen_subcommand_from token" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pools -n "__fish_pools_using_subcommand serve; and __fish_seen_subcommand_from help" -f -a "token" -d 'Manage the server\'s bearer tokens'
complete -c pools -n "__fish_pools_using_subcommand serve; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pools -n "__fish_pools_using_subcommand env; and not __fish_seen_subcommand_from add list use remove login help" -l store -d 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]' -r -F
complete -c pools -n "__fish_pools_using_subcommand env; and not __fish_seen_subcommand_from add list use remove login help" -l env -d 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]' -r
complete -c pools -n "__fish_pools_using_subcommand env; and not __fish_seen_subcommand_from add list use remove login help" -s o -l output -d 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr' -r -f -a "table\t''
json\t''
yaml\t''
ndjson\t''"
complete -c pools -n "__fish_pools_using_subcommand env; and not __fish_seen_subcommand_from add list use remove login help" -l no-input -d 'Never prompt: fail instead, naming what is missing'
complete -c pools -n "__fish_pools_using_subcommand env; and not __fish_seen_subcommand_from add list use remove login help" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c pools -n "__fish_pools_using_subcommand env; and not __fish_seen_subcommand_from add list use remove login help" -s q -l quiet -d 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
complete -c pools -n "__fish_pools_using_subcommand env; and not __fish_seen_subcommand_from add list use remove login help" -s v -l verbose -d 'Print more detail on stderr (store location, timings)'
complete -c pools -n "__fish_pools_using_subcommand env; and not __fish_seen_subcommand_from add list use remove login help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pools -n "__fish_pools_using_subcommand env; and not __fish_seen_subcommand_from add list use remove login help" -f -a "add" -d 'Add an environment: the URL its server answers at (https, or http on loopback)'
complete -c pools -n "__fish_pools_using_subcommand env; and not __fish_seen_subcommand_from add list use remove login help" -f -a "list" -d 'List the environments (the one in use marked *)'
complete -c pools -n "__fish_pools_using_subcommand env; and not __fish_seen_subcommand_from add list use remove login help" -f -a "use" -d 'Make commands use this environment when neither --env nor --store is given'
complete -c pools -n "__fish_pools_using_subcommand env; and not __fish_seen_subcommand_from add list use remove login help" -f -a "remove" -d 'Remove an environment and forget its token'
complete -c pools -n "__fish_pools_using_subcommand env; and not __fish_seen_subcommand_from add list use remove login help" -f -a "login" -d 'Keep a token for an environment (a hidden prompt on a terminal)'
complete -c pools -n "__fish_pools_using_subcommand env; and not __fish_seen_subcommand_from add list use remove login help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from add" -l url -d 'The server\'s base URL' -r
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from add" -l ca-cert -d 'Trust this CA certificate (PEM) for the server besides the system\'s roots: a private CA\'s, for an https URL. Its path is kept, and the file read at each use' -r -F
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from add" -l store -d 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]' -r -F
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from add" -l env -d 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]' -r
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from add" -s o -l output -d 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr' -r -f -a "table\t''
json\t''
yaml\t''
ndjson\t''"
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from add" -l no-input -d 'Never prompt: fail instead, naming what is missing'
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from add" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from add" -s v -l verbose -d 'Print more detail on stderr (store location, timings)'
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from list" -l store -d 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]' -r -F
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from list" -l env -d 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]' -r
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr' -r -f -a "table\t''
json\t''
yaml\t''
ndjson\t''"
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt: fail instead, naming what is missing'
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print more detail on stderr (store location, timings)'
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from use" -l store -d 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]' -r -F
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from use" -l env -d 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]' -r
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from use" -s o -l output -d 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr' -r -f -a "table\t''
json\t''
yaml\t''
ndjson\t''"
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from use" -l no-input -d 'Never prompt: fail instead, naming what is missing'
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from use" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from use" -s q -l quiet -d 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from use" -s v -l verbose -d 'Print more detail on stderr (store location, timings)'
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from use" -s h -l help -d 'Print help'
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from remove" -l store -d 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]' -r -F
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from remove" -l env -d 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]' -r
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from remove" -s o -l output -d 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr' -r -f -a "table\t''
json\t''
yaml\t''
ndjson\t''"
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from remove" -l no-input -d 'Never prompt: fail instead, naming what is missing'
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from remove" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from remove" -s v -l verbose -d 'Print more detail on stderr (store location, timings)'
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from login" -l store -d 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]' -r -F
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from login" -l env -d 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]' -r
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from login" -s o -l output -d 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr' -r -f -a "table\t''
json\t''
yaml\t''
ndjson\t''"
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from login" -l token-stdin -d 'Read the token from standard input instead of a prompt'
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from login" -l no-input -d 'Never prompt: fail instead, naming what is missing'
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from login" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from login" -s q -l quiet -d 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from login" -s v -l verbose -d 'Print more detail on stderr (store location, timings)'
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from login" -s h -l help -d 'Print help'
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add an environment: the URL its server answers at (https, or http on loopback)'
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the environments (the one in use marked *)'
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from help" -f -a "use" -d 'Make commands use this environment when neither --env nor --store is given'
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove an environment and forget its token'
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from help" -f -a "login" -d 'Keep a token for an environment (a hidden prompt on a terminal)'
complete -c pools -n "__fish_pools_using_subcommand env; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pools -n "__fish_pools_using_subcommand completions" -s o -l output -d 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr' -r -f -a "table\t''
json\t''
yaml\t''
ndjson\t''"
complete -c pools -n "__fish_pools_using_subcommand completions" -l store -d 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]' -r -F
complete -c pools -n "__fish_pools_using_subcommand completions" -l env -d 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]' -r
complete -c pools -n "__fish_pools_using_subcommand completions" -l no-input -d 'Never prompt: fail instead, naming what is missing'
complete -c pools -n "__fish_pools_using_subcommand completions" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c pools -n "__fish_pools_using_subcommand completions" -s q -l quiet -d 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
complete -c pools -n "__fish_pools_using_subcommand completions" -s v -l verbose -d 'Print more detail on stderr (store location, timings)'
complete -c pools -n "__fish_pools_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pools -n "__fish_pools_using_subcommand man" -s o -l output -d 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr' -r -f -a "table\t''
json\t''
yaml\t''
ndjson\t''"
complete -c pools -n "__fish_pools_using_subcommand man" -l store -d 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]' -r -F
complete -c pools -n "__fish_pools_using_subcommand man" -l env -d 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]' -r
complete -c pools -n "__fish_pools_using_subcommand man" -l no-input -d 'Never prompt: fail instead, naming what is missing'
complete -c pools -n "__fish_pools_using_subcommand man" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c pools -n "__fish_pools_using_subcommand man" -s q -l quiet -d 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
complete -c pools -n "__fish_pools_using_subcommand man" -s v -l verbose -d 'Print more detail on stderr (store location, timings)'
complete -c pools -n "__fish_pools_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pools -n "__fish_pools_using_subcommand users; and not __fish_seen_subcommand_from list show create import restore set-metadata export help" -l store -d 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]' -r -F
complete -c pools -n "__fish_pools_using_subcommand users; and not __fish_seen_subcommand_from list show create import restore set-metadata export help" -l env -d 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]' -r
complete -c pools -n "__fish_pools_using_subcommand users; and not __fish_seen_subcommand_from list show create import restore set-metadata export help" -s o -l output -d 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr' -r -f -a "table\t''
json\t''
yaml\t''
ndjson\t''"
complete -c pools -n "__fish_pools_using_subcommand users; and not __fish_seen_subcommand_from list show create import restore set-metadata export help" -l no-input -d 'Never prompt: fail instead, naming what is missing'
complete -c pools -n "__fish_pools_using_subcommand users; and not __fish_seen_subcommand_from list show create import restore set-metadata export help" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c pools -n "__fish_pools_using_subcommand users; and not __fish_seen_subcommand_from list show create import restore set-metadata export help" -s q -l quiet -d 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
complete -c pools -n "__fish_pools_using_subcommand users; and not __fish_seen_subcommand_from list show create import restore set-metadata export help" -s v -l verbose -d 'Print more detail on stderr (store location, timings)'
complete -c pools -n "__fish_pools_using_subcommand users; and not __fish_seen_subcommand_from list show create import restore set-metadata export help" -s h -l help -d 'Print help'
complete -c pools -n "__fish_pools_using_subcommand users; and not __fish_seen_subcommand_from list show create import restore set-metadata export help" -f -a "list" -d 'List users in identifier order, a page at a time (never their hashes, R11)'
complete -c pools -n "__fish_pools_using_subcommand users; and not __fish_seen_subcommand_from list show create import restore set-metadata export help" -f -a "show" -d 'Show one user, with its aliases (other login names, R6) and the sign-in methods left to it (R8, R9)'
complete -c pools -n "__fish_pools_using_subcommand users; and not __fish_seen_subcommand_from list show create import restore set-metadata export help" -f -a "create" -d 'Create a native user; the password is read from stdin and stored as argon2id'
complete -c pools -n "__fish_pools_using_subcommand users; and not __fish_seen_subcommand_from list show create import restore set-metadata export help" -f -a "import" -d 'Import an export file into the store as users migrated from a pool'
complete -c pools -n "__fish_pools_using_subcommand users; and not __fish_seen_subcommand_from list show create import restore set-metadata export help" -f -a "restore" -d 'Restore users from a backup written by `pools users export`'
complete -c pools -n "__fish_pools_using_subcommand users; and not __fish_seen_subcommand_from list show create import restore set-metadata export help" -f -a "set-metadata" -d 'Set metadata keys (merged into the user\'s metadata); refused for sync copies (R7)'
complete -c pools -n "__fish_pools_using_subcommand users; and not __fish_seen_subcommand_from list show create import restore set-metadata export help" -f -a "export" -d 'Stream users out as NDJSON or CSV, a backup `users restore` reads back; password hashes only with --include-hashes (R11)'
complete -c pools -n "__fish_pools_using_subcommand users; and not __fish_seen_subcommand_from list show create import restore set-metadata export help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from list" -l pool -d 'Only users of this pool' -r
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from list" -l origin -d 'Only users of this origin' -r -f -a "native\t'Created in this environment'
migrated\t'Copied from a pool for good (JIT or bulk import); authenticates locally (R3)'
shadow\t'A local copy of a user who stays at the pool\'s source (passthrough, sync, idp)'"
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from list" -l limit -d 'At most N users [default: 100 for a table; every user for -o json|yaml|ndjson]' -r
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from list" -l after -d 'Start after this position: the CURSOR the previous page printed (`next page: --after CURSOR`), with the same --pool and --origin' -r
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from list" -l store -d 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]' -r -F
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from list" -l env -d 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]' -r
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr' -r -f -a "table\t''
json\t''
yaml\t''
ndjson\t''"
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt: fail instead, naming what is missing'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print more detail on stderr (store location, timings)'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from show" -l store -d 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]' -r -F
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from show" -l env -d 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]' -r
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr' -r -f -a "table\t''
json\t''
yaml\t''
ndjson\t''"
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from show" -l no-input -d 'Never prompt: fail instead, naming what is missing'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from show" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Print more detail on stderr (store location, timings)'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from create" -l tenant -d 'Tenant ID [default: a new tenant]' -r
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from create" -l store -d 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]' -r -F
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from create" -l env -d 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]' -r
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from create" -s o -l output -d 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr' -r -f -a "table\t''
json\t''
yaml\t''
ndjson\t''"
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from create" -l password-stdin -d 'Read the password from stdin (one line)'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from create" -l no-input -d 'Never prompt: fail instead, naming what is missing'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from create" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from create" -s v -l verbose -d 'Print more detail on stderr (store location, timings)'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from import" -l pool -d 'The pool the users come from (its tenant source applies, R4)' -r
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from import" -l file -d 'The export file, `-` for stdin (a pipe or FIFO is read once) [default: the pool\'s --file, which through --env the server reads]' -r -F
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from import" -l format -d 'firebase | auth0-json | auth0-ndjson | keycloak | cognito | csv [default: the pool\'s, else detected]' -r
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from import" -l hash-config -d 'Firebase password-hash parameters [default: the pool\'s]; through --env, a file of the server\'s machine, as a pool\'s hash config is' -r -F
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from import" -l on-conflict -d 'When an identifier is already a user: skip the row, merge into the user, or reject the row' -r -f -a "skip\t'Keep the existing user; report the row as skipped (exit 0)'
merge\t'Keep the existing user and add what it lacks: profile keys, a password hash'
fail\t'Reject the row (exit 5), so it can be fixed and re-imported'"
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from import" -l reject-file -d 'Write the rows that did not land to this file, in the input\'s own format, to fix and re-import' -r -F
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from import" -l batch -d 'Rows per transaction (held in memory until committed: a large batch costs memory)' -r
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from import" -l import-id -d 'Name the import: runs with the same ID are one import, resumed (rows committed before are already imported), whatever the input [default: this host and the file\'s path; a new import each run for stdin]' -r
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from import" -l store -d 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]' -r -F
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from import" -l env -d 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]' -r
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from import" -s o -l output -d 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr' -r -f -a "table\t''
json\t''
yaml\t''
ndjson\t''"
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from import" -l dry-run -d 'Check every row against the store and the file, write nothing'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from import" -l resume -d 'Continue an interrupted import: the same as running the command again. Rows it committed are recognised (already imported, never duplicated); rows it skipped or rejected are reported, and written to --reject-file, again'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from import" -l no-input -d 'Never prompt: fail instead, naming what is missing'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from import" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from import" -s q -l quiet -d 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from import" -s v -l verbose -d 'Print more detail on stderr (store location, timings)'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from restore" -l file -d 'The backup (`pools users export` output), `-` for stdin' -r -F
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from restore" -l batch -d 'Records per transaction (held in memory until committed)' -r
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from restore" -l store -d 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]' -r -F
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from restore" -l env -d 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]' -r
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from restore" -s o -l output -d 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr' -r -f -a "table\t''
json\t''
yaml\t''
ndjson\t''"
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from restore" -l no-input -d 'Never prompt: fail instead, naming what is missing'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from restore" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from restore" -s q -l quiet -d 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from restore" -s v -l verbose -d 'Print more detail on stderr (store location, timings)'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from restore" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from set-metadata" -l file -d 'A JSON object of keys to set (null removes a key)' -r -F
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from set-metadata" -l store -d 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]' -r -F
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from set-metadata" -l env -d 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]' -r
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from set-metadata" -s o -l output -d 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr' -r -f -a "table\t''
json\t''
yaml\t''
ndjson\t''"
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from set-metadata" -l no-input -d 'Never prompt: fail instead, naming what is missing'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from set-metadata" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from set-metadata" -s q -l quiet -d 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from set-metadata" -s v -l verbose -d 'Print more detail on stderr (store location, timings)'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from set-metadata" -s h -l help -d 'Print help'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from export" -l pool -d 'Only users of this pool' -r
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from export" -l origin -d 'Only users of this origin' -r -f -a "native\t'Created in this environment'
migrated\t'Copied from a pool for good (JIT or bulk import); authenticates locally (R3)'
shadow\t'A local copy of a user who stays at the pool\'s source (passthrough, sync, idp)'"
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from export" -l format -d 'The backup\'s format; `users restore` reads both back' -r -f -a "ndjson\t''
csv\t''"
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from export" -s o -l output -d 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr' -r -f -a "table\t''
json\t''
yaml\t''
ndjson\t''"
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from export" -l store -d 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]' -r -F
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from export" -l env -d 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]' -r
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from export" -l include-hashes -d 'Include each user\'s password hash (a secret: never by default)'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from export" -l no-input -d 'Never prompt: fail instead, naming what is missing'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from export" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from export" -s q -l quiet -d 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from export" -s v -l verbose -d 'Print more detail on stderr (store location, timings)'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "list" -d 'List users in identifier order, a page at a time (never their hashes, R11)'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one user, with its aliases (other login names, R6) and the sign-in methods left to it (R8, R9)'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a native user; the password is read from stdin and stored as argon2id'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "import" -d 'Import an export file into the store as users migrated from a pool'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "restore" -d 'Restore users from a backup written by `pools users export`'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "set-metadata" -d 'Set metadata keys (merged into the user\'s metadata); refused for sync copies (R7)'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "export" -d 'Stream users out as NDJSON or CSV, a backup `users restore` reads back; password hashes only with --include-hashes (R11)'
complete -c pools -n "__fish_pools_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pools -n "__fish_pools_using_subcommand export" -l relative-to -d 'Write paths relative to this directory: where the exported file will be saved [default: absolute paths]' -r -F
complete -c pools -n "__fish_pools_using_subcommand export" -s o -l output -d 'Format of the document: YAML for `pools apply`, or the same document as JSON' -r -f -a "yaml\t''
json\t''"
complete -c pools -n "__fish_pools_using_subcommand export" -l store -d 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]' -r -F
complete -c pools -n "__fish_pools_using_subcommand export" -l env -d 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]' -r
complete -c pools -n "__fish_pools_using_subcommand export" -l no-input -d 'Never prompt: fail instead, naming what is missing'
complete -c pools -n "__fish_pools_using_subcommand export" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c pools -n "__fish_pools_using_subcommand export" -s q -l quiet -d 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
complete -c pools -n "__fish_pools_using_subcommand export" -s v -l verbose -d 'Print more detail on stderr (store location, timings)'
complete -c pools -n "__fish_pools_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pools -n "__fish_pools_using_subcommand help; and not __fish_seen_subcommand_from create configure reorder inspect delete apply simulate-login methods status doctor check audit serve env completions man users export help" -f -a "create" -d 'Create a user pool'
complete -c pools -n "__fish_pools_using_subcommand help; and not __fish_seen_subcommand_from create configure reorder inspect delete apply simulate-login methods status doctor check audit serve env completions man users export help" -f -a "configure" -d 'Change settings of a pool'
complete -c pools -n "__fish_pools_using_subcommand help; and not __fish_seen_subcommand_from create configure reorder inspect delete apply simulate-login methods status doctor check audit serve env completions man users export help" -f -a "reorder" -d 'Set the login order of the pools (R5)'
complete -c pools -n "__fish_pools_using_subcommand help; and not __fish_seen_subcommand_from create configure reorder inspect delete apply simulate-login methods status doctor check audit serve env completions man users export help" -f -a "inspect" -d 'Show the pools in login order, or every setting of one pool'
complete -c pools -n "__fish_pools_using_subcommand help; and not __fish_seen_subcommand_from create configure reorder inspect delete apply simulate-login methods status doctor check audit serve env completions man users export help" -f -a "delete" -d 'Delete a pool'
complete -c pools -n "__fish_pools_using_subcommand help; and not __fish_seen_subcommand_from create configure reorder inspect delete apply simulate-login methods status doctor check audit serve env completions man users export help" -f -a "apply" -d 'Make the store match a YAML file of pools'
complete -c pools -n "__fish_pools_using_subcommand help; and not __fish_seen_subcommand_from create configure reorder inspect delete apply simulate-login methods status doctor check audit serve env completions man users export help" -f -a "simulate-login" -d 'Rehearse a login offline with the real engine (R14)'
complete -c pools -n "__fish_pools_using_subcommand help; and not __fish_seen_subcommand_from create configure reorder inspect delete apply simulate-login methods status doctor check audit serve env completions man users export help" -f -a "methods" -d 'List or change the environment\'s sign-in methods (R8, R9)'
complete -c pools -n "__fish_pools_using_subcommand help; and not __fish_seen_subcommand_from create configure reorder inspect delete apply simulate-login methods status doctor check audit serve env completions man users export help" -f -a "status" -d 'Migration progress per pool: can a source be retired yet?'
complete -c pools -n "__fish_pools_using_subcommand help; and not __fish_seen_subcommand_from create configure reorder inspect delete apply simulate-login methods status doctor check audit serve env completions man users export help" -f -a "doctor" -d 'Scan export files and the store for what needs attention'
complete -c pools -n "__fish_pools_using_subcommand help; and not __fish_seen_subcommand_from create configure reorder inspect delete apply simulate-login methods status doctor check audit serve env completions man users export help" -f -a "check" -d 'Probe pools\' sources for their prerequisites, each failure with its fix'
complete -c pools -n "__fish_pools_using_subcommand help; and not __fish_seen_subcommand_from create configure reorder inspect delete apply simulate-login methods status doctor check audit serve env completions man users export help" -f -a "audit" -d 'Show the audit log: every change made to this store, who made it and when'
complete -c pools -n "__fish_pools_using_subcommand help; and not __fish_seen_subcommand_from create configure reorder inspect delete apply simulate-login methods status doctor check audit serve env completions man users export help" -f -a "serve" -d 'Run the environment server over the store, or manage its bearer tokens'
complete -c pools -n "__fish_pools_using_subcommand help; and not __fish_seen_subcommand_from create configure reorder inspect delete apply simulate-login methods status doctor check audit serve env completions man users export help" -f -a "env" -d 'Remote environments: `pools serve` servers that commands reach with --env NAME'
complete -c pools -n "__fish_pools_using_subcommand help; and not __fish_seen_subcommand_from create configure reorder inspect delete apply simulate-login methods status doctor check audit serve env completions man users export help" -f -a "completions" -d 'Print a shell completion script on stdout'
complete -c pools -n "__fish_pools_using_subcommand help; and not __fish_seen_subcommand_from create configure reorder inspect delete apply simulate-login methods status doctor check audit serve env completions man users export help" -f -a "man" -d 'Write the man pages into DIR/man1, a manual tree: read them with `man -M DIR pools`'
complete -c pools -n "__fish_pools_using_subcommand help; and not __fish_seen_subcommand_from create configure reorder inspect delete apply simulate-login methods status doctor check audit serve env completions man users export help" -f -a "users" -d 'Inspect and manage users of the local store'
complete -c pools -n "__fish_pools_using_subcommand help; and not __fish_seen_subcommand_from create configure reorder inspect delete apply simulate-login methods status doctor check audit serve env completions man users export help" -f -a "export" -d 'Print the pools and their order as YAML for `pools apply`'
complete -c pools -n "__fish_pools_using_subcommand help; and not __fish_seen_subcommand_from create configure reorder inspect delete apply simulate-login methods status doctor check audit serve env completions man users export help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pools -n "__fish_pools_using_subcommand help; and __fish_seen_subcommand_from methods" -f -a "enable" -d 'Enable a method for this environment'
complete -c pools -n "__fish_pools_using_subcommand help; and __fish_seen_subcommand_from methods" -f -a "disable" -d 'Disable a method for this environment'
complete -c pools -n "__fish_pools_using_subcommand help; and __fish_seen_subcommand_from serve" -f -a "token" -d 'Manage the server\'s bearer tokens'
complete -c pools -n "__fish_pools_using_subcommand help; and __fish_seen_subcommand_from env" -f -a "add" -d 'Add an environment: the URL its server answers at (https, or http on loopback)'
complete -c pools -n "__fish_pools_using_subcommand help; and __fish_seen_subcommand_from env" -f -a "list" -d 'List the environments (the one in use marked *)'
complete -c pools -n "__fish_pools_using_subcommand help; and __fish_seen_subcommand_from env" -f -a "use" -d 'Make commands use this environment when neither --env nor --store is given'
complete -c pools -n "__fish_pools_using_subcommand help; and __fish_seen_subcommand_from env" -f -a "remove" -d 'Remove an environment and forget its token'
complete -c pools -n "__fish_pools_using_subcommand help; and __fish_seen_subcommand_from env" -f -a "login" -d 'Keep a token for an environment (a hidden prompt on a terminal)'
complete -c pools -n "__fish_pools_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "list" -d 'List users in identifier order, a page at a time (never their hashes, R11)'
complete -c pools -n "__fish_pools_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "show" -d 'Show one user, with its aliases (other login names, R6) and the sign-in methods left to it (R8, R9)'
complete -c pools -n "__fish_pools_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "create" -d 'Create a native user; the password is read from stdin and stored as argon2id'
complete -c pools -n "__fish_pools_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "import" -d 'Import an export file into the store as users migrated from a pool'
complete -c pools -n "__fish_pools_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "restore" -d 'Restore users from a backup written by `pools users export`'
complete -c pools -n "__fish_pools_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "set-metadata" -d 'Set metadata keys (merged into the user\'s metadata); refused for sync copies (R7)'
complete -c pools -n "__fish_pools_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "export" -d 'Stream users out as NDJSON or CSV, a backup `users restore` reads back; password hashes only with --include-hashes (R11)'
