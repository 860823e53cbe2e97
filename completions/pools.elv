
use builtin;
use str;

set edit:completion:arg-completer[pools] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'pools'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'pools'= {
            cand --store 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]'
            cand --env 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]'
            cand -o 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --output 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --no-input 'Never prompt: fail instead, naming what is missing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand --quiet 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand -v 'Print more detail on stderr (store location, timings)'
            cand --verbose 'Print more detail on stderr (store location, timings)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Create a user pool'
            cand configure 'Change settings of a pool'
            cand reorder 'Set the login order of the pools (R5)'
            cand inspect 'Show the pools in login order, or every setting of one pool'
            cand list 'Show the pools in login order, or every setting of one pool'
            cand delete 'Delete a pool'
            cand apply 'Make the store match a YAML file of pools'
            cand simulate-login 'Rehearse a login offline with the real engine (R14)'
            cand methods 'List or change the environment''s sign-in methods (R8, R9)'
            cand status 'Migration progress per pool: can a source be retired yet?'
            cand doctor 'Scan export files and the store for what needs attention'
            cand check 'Probe pools'' sources for their prerequisites, each failure with its fix'
            cand audit 'Show the audit log: every change made to this store, who made it and when'
            cand serve 'Run the environment server over the store, or manage its bearer tokens'
            cand env 'Remote environments: `pools serve` servers that commands reach with --env NAME'
            cand completions 'Print a shell completion script on stdout'
            cand man 'Write the man pages into DIR/man1, a manual tree: read them with `man -M DIR pools`'
            cand users 'Inspect and manage users of the local store'
            cand export 'Print the pools and their order as YAML for `pools apply`'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pools;create'= {
            cand --type 'external (a user database) or idp (OpenID Connect federation)'
            cand --source 'auth0 | cognito | firebase | custom | export (external); oidc (idp, the default there)'
            cand --position '1-based place in the login order [default: last]'
            cand --tenant-fallback 'Used when a property tenant is missing or unusable: fixed:<value> | auto | none'
            cand --allow 'Extra sign-in methods for the pool''s users (R9), comma-separated, or none'
            cand --domains 'Send only identifiers of these email domains to the pool (example.com,*.example.org), or none'
            cand --timeout-ms 'How long a login waits for this pool''s answer, in milliseconds (1..=600000; default 5000): past it, or past the login''s budget, the pool is source_unavailable (R5)'
            cand --domain 'auth0: tenant domain, e.g. acme.eu.auth0.com'
            cand --client-id 'auth0, cognito, idp: the client ID'
            cand --client-secret 'auth0, idp, cognito (when its app client has one): env:VAR | file:PATH | keyring:NAME | - (read from stdin) (R11)'
            cand --connection 'auth0: the database connection (realm) [default: Username-Password-Authentication]'
            cand --region 'cognito: AWS region, e.g. eu-west-1'
            cand --user-pool-id 'cognito: user pool ID, e.g. eu-west-1_AbCdEfGhI'
            cand --endpoint-url 'cognito, firebase, auth0: override the service endpoint (emulators; http allowed on loopback)'
            cand --project-id 'firebase: project ID'
            cand --api-key 'firebase: Web API key: env:VAR | file:PATH | keyring:NAME | - (R11)'
            cand --url 'custom: the endpoint URL (https, or http on loopback)'
            cand --auth-header 'custom: Authorization header value: env:VAR | file:PATH | keyring:NAME | - (R11)'
            cand --file 'export: the export file'
            cand --format 'export: firebase | auth0-json | auth0-ndjson | keycloak | cognito | csv [default: detected]'
            cand --hash-config 'export: Firebase password-hash parameters (JSON as the console shows them)'
            cand --issuer 'idp: issuer URL (serves /.well-known/openid-configuration)'
            cand --tenant-claim 'idp: the claim that carries the tenant ID'
            cand --mode 'passthrough | sync | jit (jit: external pools only, R2) [default: passthrough]'
            cand --tenant 'Tenant ID source: property:<path> | fixed:<value> | auto (R4) [default: auto: a new tenant per new user, kept by migrated users for good; idp pools with --tenant-claim: property:<claim>]'
            cand --store 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]'
            cand --env 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]'
            cand -o 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --output 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --disable 'Create the pool disabled (not asked at login until `pools configure NAME --enable`)'
            cand --no-input 'Never prompt: fail instead, naming what is missing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand --quiet 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand -v 'Print more detail on stderr (store location, timings)'
            cand --verbose 'Print more detail on stderr (store location, timings)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pools;configure'= {
            cand --if-version 'Refuse unless the pool is still at this version (see `pools inspect NAME`) (R12)'
            cand --tenant-fallback 'Used when a property tenant is missing or unusable: fixed:<value> | auto | none'
            cand --allow 'Extra sign-in methods for the pool''s users (R9), comma-separated, or none'
            cand --domains 'Send only identifiers of these email domains to the pool (example.com,*.example.org), or none'
            cand --timeout-ms 'How long a login waits for this pool''s answer, in milliseconds (1..=600000; default 5000): past it, or past the login''s budget, the pool is source_unavailable (R5)'
            cand --domain 'auth0: tenant domain, e.g. acme.eu.auth0.com'
            cand --client-id 'auth0, cognito, idp: the client ID'
            cand --client-secret 'auth0, idp, cognito (when its app client has one): env:VAR | file:PATH | keyring:NAME | - (read from stdin) (R11)'
            cand --connection 'auth0: the database connection (realm) [default: Username-Password-Authentication]'
            cand --region 'cognito: AWS region, e.g. eu-west-1'
            cand --user-pool-id 'cognito: user pool ID, e.g. eu-west-1_AbCdEfGhI'
            cand --endpoint-url 'cognito, firebase, auth0: override the service endpoint (emulators; http allowed on loopback)'
            cand --project-id 'firebase: project ID'
            cand --api-key 'firebase: Web API key: env:VAR | file:PATH | keyring:NAME | - (R11)'
            cand --url 'custom: the endpoint URL (https, or http on loopback)'
            cand --auth-header 'custom: Authorization header value: env:VAR | file:PATH | keyring:NAME | - (R11)'
            cand --file 'export: the export file'
            cand --format 'export: firebase | auth0-json | auth0-ndjson | keycloak | cognito | csv [default: detected]'
            cand --hash-config 'export: Firebase password-hash parameters (JSON as the console shows them)'
            cand --issuer 'idp: issuer URL (serves /.well-known/openid-configuration)'
            cand --tenant-claim 'idp: the claim that carries the tenant ID'
            cand --mode 'passthrough | sync | jit (jit: external pools only, R2) [default: unchanged]'
            cand --tenant 'Tenant ID source: property:<path> | fixed:<value> | auto (R4); applies to users created from now on [default: unchanged]'
            cand --store 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]'
            cand --env 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]'
            cand -o 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --output 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --enable 'Enable the pool'
            cand --disable 'Disable the pool: it is skipped at login (its migrated users still log in, R3)'
            cand --force 'Change the source (an export pool''s file or format) even though users still need it (R10)'
            cand --no-input 'Never prompt: fail instead, naming what is missing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand --quiet 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand -v 'Print more detail on stderr (store location, timings)'
            cand --verbose 'Print more detail on stderr (store location, timings)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pools;reorder'= {
            cand --move 'Move one pool instead of giving the full order'
            cand --to 'New 1-based position of the moved pool'
            cand --before 'Put the moved pool just before this one'
            cand --after 'Put the moved pool just after this one'
            cand --store 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]'
            cand --env 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]'
            cand -o 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --output 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --no-input 'Never prompt: fail instead, naming what is missing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand --quiet 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand -v 'Print more detail on stderr (store location, timings)'
            cand --verbose 'Print more detail on stderr (store location, timings)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pools;inspect'= {
            cand --store 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]'
            cand --env 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]'
            cand -o 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --output 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --no-input 'Never prompt: fail instead, naming what is missing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand --quiet 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand -v 'Print more detail on stderr (store location, timings)'
            cand --verbose 'Print more detail on stderr (store location, timings)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pools;list'= {
            cand --store 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]'
            cand --env 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]'
            cand -o 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --output 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --no-input 'Never prompt: fail instead, naming what is missing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand --quiet 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand -v 'Print more detail on stderr (store location, timings)'
            cand --verbose 'Print more detail on stderr (store location, timings)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pools;delete'= {
            cand --if-version 'Refuse unless the pool is still at this version (R12)'
            cand --store 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]'
            cand --env 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]'
            cand -o 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --output 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --force 'Also delete when users still need the pool to log in: shadow copies go with it, imported users without a hash stay but cannot log in any more'
            cand --no-input 'Never prompt: fail instead, naming what is missing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand --quiet 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand -v 'Print more detail on stderr (store location, timings)'
            cand --verbose 'Print more detail on stderr (store location, timings)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pools;apply'= {
            cand -f 'The YAML (or JSON) document, as written by `pools export`'
            cand --file 'The YAML (or JSON) document, as written by `pools export`'
            cand --store 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]'
            cand --env 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]'
            cand -o 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --output 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --dry-run 'Print the plan, write nothing'
            cand --prune 'Delete pools that the file does not name (needs --yes without a terminal)'
            cand --force 'Delete (--prune) or change the source of pools whose users still need them (R10)'
            cand --no-input 'Never prompt: fail instead, naming what is missing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand --quiet 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand -v 'Print more detail on stderr (store location, timings)'
            cand --verbose 'Print more detail on stderr (store location, timings)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pools;simulate-login'= {
            cand --password-file 'Read the password from a file (first line)'
            cand --claims 'The claims of the ID token an IdP would return (JSON object; iss, aud, exp, iat and sub are checked), to rehearse idp federation'
            cand --budget-ms 'The time the whole login may take, in milliseconds (1..=600000): a pool not yet asked when it runs out fails the login closed (source_unavailable, R5)'
            cand --store 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]'
            cand --env 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]'
            cand -o 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --output 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --password-stdin 'Read the password from stdin (one line)'
            cand --commit 'Persist the outcome exactly as a real login would (migration, shadow copy, hash upgrade)'
            cand --no-input 'Never prompt: fail instead, naming what is missing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand --quiet 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand -v 'Print more detail on stderr (store location, timings)'
            cand --verbose 'Print more detail on stderr (store location, timings)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pools;methods'= {
            cand --store 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]'
            cand --env 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]'
            cand -o 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --output 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --no-input 'Never prompt: fail instead, naming what is missing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand --quiet 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand -v 'Print more detail on stderr (store location, timings)'
            cand --verbose 'Print more detail on stderr (store location, timings)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand enable 'Enable a method for this environment'
            cand disable 'Disable a method for this environment'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pools;methods;enable'= {
            cand --store 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]'
            cand --env 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]'
            cand -o 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --output 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --no-input 'Never prompt: fail instead, naming what is missing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand --quiet 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand -v 'Print more detail on stderr (store location, timings)'
            cand --verbose 'Print more detail on stderr (store location, timings)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pools;methods;disable'= {
            cand --store 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]'
            cand --env 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]'
            cand -o 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --output 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --no-input 'Never prompt: fail instead, naming what is missing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand --quiet 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand -v 'Print more detail on stderr (store location, timings)'
            cand --verbose 'Print more detail on stderr (store location, timings)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pools;methods;help'= {
            cand enable 'Enable a method for this environment'
            cand disable 'Disable a method for this environment'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pools;methods;help;enable'= {
        }
        &'pools;methods;help;disable'= {
        }
        &'pools;methods;help;help'= {
        }
        &'pools;status'= {
            cand --store 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]'
            cand --env 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]'
            cand -o 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --output 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --no-input 'Never prompt: fail instead, naming what is missing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand --quiet 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand -v 'Print more detail on stderr (store location, timings)'
            cand --verbose 'Print more detail on stderr (store location, timings)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pools;doctor'= {
            cand --pool 'Only these pools [default: every export pool]'
            cand --store 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]'
            cand --env 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]'
            cand -o 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --output 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --no-input 'Never prompt: fail instead, naming what is missing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand --quiet 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand -v 'Print more detail on stderr (store location, timings)'
            cand --verbose 'Print more detail on stderr (store location, timings)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pools;check'= {
            cand --store 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]'
            cand --env 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]'
            cand -o 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --output 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --no-input 'Never prompt: fail instead, naming what is missing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand --quiet 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand -v 'Print more detail on stderr (store location, timings)'
            cand --verbose 'Print more detail on stderr (store location, timings)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pools;audit'= {
            cand --since 'Only entries from this time on: RFC 3339 (`2026-12-04T09:00:00Z`) or a UTC day (`2026-12-04`)'
            cand --pool 'Only entries about this pool'
            cand --store 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]'
            cand --env 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]'
            cand -o 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --output 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --no-input 'Never prompt: fail instead, naming what is missing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand --quiet 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand -v 'Print more detail on stderr (store location, timings)'
            cand --verbose 'Print more detail on stderr (store location, timings)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pools;serve'= {
            cand --listen 'The address to listen on (port 0: any free port; the address taken is printed)'
            cand --key-file 'A file holding the server''s key (standard base64 of 32 bytes; mode 600) [default: $POOLS_SERVER_KEY]'
            cand --secrets-file 'The sealed secrets file: every secret the server keeps or looks up (`keyring:NAME`), each encrypted with the key (AES-256-GCM), mode 600 [default: the store''s path with `.secrets.json` appended]'
            cand --tls-cert 'Serve https with this certificate chain (PEM: the server''s certificate, then any intermediates); needs --tls-key. With TLS any address may be listened on'
            cand --tls-key 'The private key of --tls-cert''s certificate (PEM: PKCS#8, PKCS#1 or SEC1, not encrypted); needs --tls-cert'
            cand --login-rate-per-identifier 'POST /v1/login attempts allowed per identifier per minute; past it, 429 with Retry-After'
            cand --login-rate-per-client 'POST /v1/login attempts allowed per client address per minute (an application''s backend calls for all its users from one address)'
            cand --log-format 'How log lines are written on stderr (levels from POOLS_LOG, e.g. `info`, `debug`)'
            cand --store 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]'
            cand --env 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]'
            cand -o 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --output 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --insecure-http 'Allow plain http on an address that is not loopback: TLS is terminated in front of the server (a load balancer, a proxy)'
            cand --no-input 'Never prompt: fail instead, naming what is missing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand --quiet 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand -v 'Print more detail on stderr (store location, timings)'
            cand --verbose 'Print more detail on stderr (store location, timings)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand token 'Manage the server''s bearer tokens'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pools;serve;token'= {
            cand --store 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]'
            cand --env 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]'
            cand -o 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --output 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --no-input 'Never prompt: fail instead, naming what is missing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand --quiet 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand -v 'Print more detail on stderr (store location, timings)'
            cand --verbose 'Print more detail on stderr (store location, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand create 'Issue a token; it is printed once, alone on the last line of stdout'
            cand list 'List the tokens (names and roles; never a token)'
            cand revoke 'Revoke a token: the server refuses it from the next request on'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pools;serve;token;create'= {
            cand --role 'What the token may do'
            cand --name 'Who holds it (1 to 64 letters, digits, `.`, `_`, `-`, `@`): the audit log''s actor'
            cand --store 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]'
            cand --env 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]'
            cand -o 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --output 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --no-input 'Never prompt: fail instead, naming what is missing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand --quiet 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand -v 'Print more detail on stderr (store location, timings)'
            cand --verbose 'Print more detail on stderr (store location, timings)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pools;serve;token;list'= {
            cand --store 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]'
            cand --env 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]'
            cand -o 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --output 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --no-input 'Never prompt: fail instead, naming what is missing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand --quiet 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand -v 'Print more detail on stderr (store location, timings)'
            cand --verbose 'Print more detail on stderr (store location, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'pools;serve;token;revoke'= {
            cand --store 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]'
            cand --env 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]'
            cand -o 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --output 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --no-input 'Never prompt: fail instead, naming what is missing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand --quiet 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand -v 'Print more detail on stderr (store location, timings)'
            cand --verbose 'Print more detail on stderr (store location, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'pools;serve;token;help'= {
            cand create 'Issue a token; it is printed once, alone on the last line of stdout'
            cand list 'List the tokens (names and roles; never a token)'
            cand revoke 'Revoke a token: the server refuses it from the next request on'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pools;serve;token;help;create'= {
        }
        &'pools;serve;token;help;list'= {
        }
        &'pools;serve;token;help;revoke'= {
        }
        &'pools;serve;token;help;help'= {
        }
        &'pools;serve;help'= {
            cand token 'Manage the server''s bearer tokens'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pools;serve;help;token'= {
            cand create 'Issue a token; it is printed once, alone on the last line of stdout'
            cand list 'List the tokens (names and roles; never a token)'
            cand revoke 'Revoke a token: the server refuses it from the next request on'
        }
        &'pools;serve;help;token;create'= {
        }
        &'pools;serve;help;token;list'= {
        }
        &'pools;serve;help;token;revoke'= {
        }
        &'pools;serve;help;help'= {
        }
        &'pools;env'= {
            cand --store 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]'
            cand --env 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]'
            cand -o 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --output 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --no-input 'Never prompt: fail instead, naming what is missing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand --quiet 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand -v 'Print more detail on stderr (store location, timings)'
            cand --verbose 'Print more detail on stderr (store location, timings)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand add 'Add an environment: the URL its server answers at (https, or http on loopback)'
            cand list 'List the environments (the one in use marked *)'
            cand use 'Make commands use this environment when neither --env nor --store is given'
            cand remove 'Remove an environment and forget its token'
            cand login 'Keep a token for an environment (a hidden prompt on a terminal)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pools;env;add'= {
            cand --url 'The server''s base URL'
            cand --ca-cert 'Trust this CA certificate (PEM) for the server besides the system''s roots: a private CA''s, for an https URL. Its path is kept, and the file read at each use'
            cand --store 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]'
            cand --env 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]'
            cand -o 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --output 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --no-input 'Never prompt: fail instead, naming what is missing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand --quiet 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand -v 'Print more detail on stderr (store location, timings)'
            cand --verbose 'Print more detail on stderr (store location, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'pools;env;list'= {
            cand --store 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]'
            cand --env 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]'
            cand -o 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --output 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --no-input 'Never prompt: fail instead, naming what is missing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand --quiet 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand -v 'Print more detail on stderr (store location, timings)'
            cand --verbose 'Print more detail on stderr (store location, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'pools;env;use'= {
            cand --store 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]'
            cand --env 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]'
            cand -o 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --output 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --no-input 'Never prompt: fail instead, naming what is missing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand --quiet 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand -v 'Print more detail on stderr (store location, timings)'
            cand --verbose 'Print more detail on stderr (store location, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'pools;env;remove'= {
            cand --store 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]'
            cand --env 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]'
            cand -o 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --output 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --no-input 'Never prompt: fail instead, naming what is missing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand --quiet 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand -v 'Print more detail on stderr (store location, timings)'
            cand --verbose 'Print more detail on stderr (store location, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'pools;env;login'= {
            cand --store 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]'
            cand --env 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]'
            cand -o 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --output 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --token-stdin 'Read the token from standard input instead of a prompt'
            cand --no-input 'Never prompt: fail instead, naming what is missing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand --quiet 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand -v 'Print more detail on stderr (store location, timings)'
            cand --verbose 'Print more detail on stderr (store location, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'pools;env;help'= {
            cand add 'Add an environment: the URL its server answers at (https, or http on loopback)'
            cand list 'List the environments (the one in use marked *)'
            cand use 'Make commands use this environment when neither --env nor --store is given'
            cand remove 'Remove an environment and forget its token'
            cand login 'Keep a token for an environment (a hidden prompt on a terminal)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pools;env;help;add'= {
        }
        &'pools;env;help;list'= {
        }
        &'pools;env;help;use'= {
        }
        &'pools;env;help;remove'= {
        }
        &'pools;env;help;login'= {
        }
        &'pools;env;help;help'= {
        }
        &'pools;completions'= {
            cand -o 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --output 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --store 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]'
            cand --env 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]'
            cand --no-input 'Never prompt: fail instead, naming what is missing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand --quiet 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand -v 'Print more detail on stderr (store location, timings)'
            cand --verbose 'Print more detail on stderr (store location, timings)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pools;man'= {
            cand -o 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --output 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --store 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]'
            cand --env 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]'
            cand --no-input 'Never prompt: fail instead, naming what is missing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand --quiet 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand -v 'Print more detail on stderr (store location, timings)'
            cand --verbose 'Print more detail on stderr (store location, timings)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pools;users'= {
            cand --store 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]'
            cand --env 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]'
            cand -o 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --output 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --no-input 'Never prompt: fail instead, naming what is missing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand --quiet 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand -v 'Print more detail on stderr (store location, timings)'
            cand --verbose 'Print more detail on stderr (store location, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand list 'List users in identifier order, a page at a time (never their hashes, R11)'
            cand show 'Show one user, with its aliases (other login names, R6) and the sign-in methods left to it (R8, R9)'
            cand create 'Create a native user; the password is read from stdin and stored as argon2id'
            cand import 'Import an export file into the store as users migrated from a pool'
            cand restore 'Restore users from a backup written by `pools users export`'
            cand set-metadata 'Set metadata keys (merged into the user''s metadata); refused for sync copies (R7)'
            cand export 'Stream users out as NDJSON or CSV, a backup `users restore` reads back; password hashes only with --include-hashes (R11)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pools;users;list'= {
            cand --pool 'Only users of this pool'
            cand --origin 'Only users of this origin'
            cand --limit 'At most N users [default: 100 for a table; every user for -o json|yaml|ndjson]'
            cand --after 'Start after this position: the CURSOR the previous page printed (`next page: --after CURSOR`), with the same --pool and --origin'
            cand --store 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]'
            cand --env 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]'
            cand -o 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --output 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --no-input 'Never prompt: fail instead, naming what is missing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand --quiet 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand -v 'Print more detail on stderr (store location, timings)'
            cand --verbose 'Print more detail on stderr (store location, timings)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pools;users;show'= {
            cand --store 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]'
            cand --env 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]'
            cand -o 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --output 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --no-input 'Never prompt: fail instead, naming what is missing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand --quiet 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand -v 'Print more detail on stderr (store location, timings)'
            cand --verbose 'Print more detail on stderr (store location, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'pools;users;create'= {
            cand --tenant 'Tenant ID [default: a new tenant]'
            cand --store 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]'
            cand --env 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]'
            cand -o 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --output 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --password-stdin 'Read the password from stdin (one line)'
            cand --no-input 'Never prompt: fail instead, naming what is missing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand --quiet 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand -v 'Print more detail on stderr (store location, timings)'
            cand --verbose 'Print more detail on stderr (store location, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'pools;users;import'= {
            cand --pool 'The pool the users come from (its tenant source applies, R4)'
            cand --file 'The export file, `-` for stdin (a pipe or FIFO is read once) [default: the pool''s --file, which through --env the server reads]'
            cand --format 'firebase | auth0-json | auth0-ndjson | keycloak | cognito | csv [default: the pool''s, else detected]'
            cand --hash-config 'Firebase password-hash parameters [default: the pool''s]; through --env, a file of the server''s machine, as a pool''s hash config is'
            cand --on-conflict 'When an identifier is already a user: skip the row, merge into the user, or reject the row'
            cand --reject-file 'Write the rows that did not land to this file, in the input''s own format, to fix and re-import'
            cand --batch 'Rows per transaction (held in memory until committed: a large batch costs memory)'
            cand --import-id 'Name the import: runs with the same ID are one import, resumed (rows committed before are already imported), whatever the input [default: this host and the file''s path; a new import each run for stdin]'
            cand --store 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]'
            cand --env 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]'
            cand -o 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --output 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --dry-run 'Check every row against the store and the file, write nothing'
            cand --resume 'Continue an interrupted import: the same as running the command again. Rows it committed are recognised (already imported, never duplicated); rows it skipped or rejected are reported, and written to --reject-file, again'
            cand --no-input 'Never prompt: fail instead, naming what is missing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand --quiet 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand -v 'Print more detail on stderr (store location, timings)'
            cand --verbose 'Print more detail on stderr (store location, timings)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pools;users;restore'= {
            cand --file 'The backup (`pools users export` output), `-` for stdin'
            cand --batch 'Records per transaction (held in memory until committed)'
            cand --store 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]'
            cand --env 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]'
            cand -o 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --output 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --no-input 'Never prompt: fail instead, naming what is missing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand --quiet 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand -v 'Print more detail on stderr (store location, timings)'
            cand --verbose 'Print more detail on stderr (store location, timings)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pools;users;set-metadata'= {
            cand --file 'A JSON object of keys to set (null removes a key)'
            cand --store 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]'
            cand --env 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]'
            cand -o 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --output 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --no-input 'Never prompt: fail instead, naming what is missing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand --quiet 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand -v 'Print more detail on stderr (store location, timings)'
            cand --verbose 'Print more detail on stderr (store location, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'pools;users;export'= {
            cand --pool 'Only users of this pool'
            cand --origin 'Only users of this origin'
            cand --format 'The backup''s format; `users restore` reads both back'
            cand -o 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --output 'Output format of results on stdout (ndjson: one JSON object per line); messages always go to stderr'
            cand --store 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]'
            cand --env 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]'
            cand --include-hashes 'Include each user''s password hash (a secret: never by default)'
            cand --no-input 'Never prompt: fail instead, naming what is missing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand --quiet 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand -v 'Print more detail on stderr (store location, timings)'
            cand --verbose 'Print more detail on stderr (store location, timings)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pools;users;help'= {
            cand list 'List users in identifier order, a page at a time (never their hashes, R11)'
            cand show 'Show one user, with its aliases (other login names, R6) and the sign-in methods left to it (R8, R9)'
            cand create 'Create a native user; the password is read from stdin and stored as argon2id'
            cand import 'Import an export file into the store as users migrated from a pool'
            cand restore 'Restore users from a backup written by `pools users export`'
            cand set-metadata 'Set metadata keys (merged into the user''s metadata); refused for sync copies (R7)'
            cand export 'Stream users out as NDJSON or CSV, a backup `users restore` reads back; password hashes only with --include-hashes (R11)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pools;users;help;list'= {
        }
        &'pools;users;help;show'= {
        }
        &'pools;users;help;create'= {
        }
        &'pools;users;help;import'= {
        }
        &'pools;users;help;restore'= {
        }
        &'pools;users;help;set-metadata'= {
        }
        &'pools;users;help;export'= {
        }
        &'pools;users;help;help'= {
        }
        &'pools;export'= {
            cand --relative-to 'Write paths relative to this directory: where the exported file will be saved [default: absolute paths]'
            cand -o 'Format of the document: YAML for `pools apply`, or the same document as JSON'
            cand --output 'Format of the document: YAML for `pools apply`, or the same document as JSON'
            cand --store 'The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]'
            cand --env 'A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV, else the one `pools env use` chose, unless --store or $POOLS_STORE is given]'
            cand --no-input 'Never prompt: fail instead, naming what is missing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand --quiet 'Print only results, warnings and errors (no notes, hints of next steps or progress)'
            cand -v 'Print more detail on stderr (store location, timings)'
            cand --verbose 'Print more detail on stderr (store location, timings)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pools;help'= {
            cand create 'Create a user pool'
            cand configure 'Change settings of a pool'
            cand reorder 'Set the login order of the pools (R5)'
            cand inspect 'Show the pools in login order, or every setting of one pool'
            cand delete 'Delete a pool'
            cand apply 'Make the store match a YAML file of pools'
            cand simulate-login 'Rehearse a login offline with the real engine (R14)'
            cand methods 'List or change the environment''s sign-in methods (R8, R9)'
            cand status 'Migration progress per pool: can a source be retired yet?'
            cand doctor 'Scan export files and the store for what needs attention'
            cand check 'Probe pools'' sources for their prerequisites, each failure with its fix'
            cand audit 'Show the audit log: every change made to this store, who made it and when'
            cand serve 'Run the environment server over the store, or manage its bearer tokens'
            cand env 'Remote environments: `pools serve` servers that commands reach with --env NAME'
            cand completions 'Print a shell completion script on stdout'
            cand man 'Write the man pages into DIR/man1, a manual tree: read them with `man -M DIR pools`'
            cand users 'Inspect and manage users of the local store'
            cand export 'Print the pools and their order as YAML for `pools apply`'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pools;help;create'= {
        }
        &'pools;help;configure'= {
        }
        &'pools;help;reorder'= {
        }
        &'pools;help;inspect'= {
        }
        &'pools;help;delete'= {
        }
        &'pools;help;apply'= {
        }
        &'pools;help;simulate-login'= {
        }
        &'pools;help;methods'= {
            cand enable 'Enable a method for this environment'
            cand disable 'Disable a method for this environment'
        }
        &'pools;help;methods;enable'= {
        }
        &'pools;help;methods;disable'= {
        }
        &'pools;help;status'= {
        }
        &'pools;help;doctor'= {
        }
        &'pools;help;check'= {
        }
        &'pools;help;audit'= {
        }
        &'pools;help;serve'= {
            cand token 'Manage the server''s bearer tokens'
        }
        &'pools;help;serve;token'= {
            cand create 'Issue a token; it is printed once, alone on the last line of stdout'
            cand list 'List the tokens (names and roles; never a token)'
            cand revoke 'Revoke a token: the server refuses it from the next request on'
        }
        &'pools;help;serve;token;create'= {
        }
        &'pools;help;serve;token;list'= {
        }
        &'pools;help;serve;token;revoke'= {
        }
        &'pools;help;env'= {
            cand add 'Add an environment: the URL its server answers at (https, or http on loopback)'
            cand list 'List the environments (the one in use marked *)'
            cand use 'Make commands use this environment when neither --env nor --store is given'
            cand remove 'Remove an environment and forget its token'
            cand login 'Keep a token for an environment (a hidden prompt on a terminal)'
        }
        &'pools;help;env;add'= {
        }
        &'pools;help;env;list'= {
        }
        &'pools;help;env;use'= {
        }
        &'pools;help;env;remove'= {
        }
        &'pools;help;env;login'= {
        }
        &'pools;help;completions'= {
        }
        &'pools;help;man'= {
        }
        &'pools;help;users'= {
            cand list 'List users in identifier order, a page at a time (never their hashes, R11)'
            cand show 'Show one user, with its aliases (other login names, R6) and the sign-in methods left to it (R8, R9)'
            cand create 'Create a native user; the password is read from stdin and stored as argon2id'
            cand import 'Import an export file into the store as users migrated from a pool'
            cand restore 'Restore users from a backup written by `pools users export`'
            cand set-metadata 'Set metadata keys (merged into the user''s metadata); refused for sync copies (R7)'
            cand export 'Stream users out as NDJSON or CSV, a backup `users restore` reads back; password hashes only with --include-hashes (R11)'
        }
        &'pools;help;users;list'= {
        }
        &'pools;help;users;show'= {
        }
        &'pools;help;users;create'= {
        }
        &'pools;help;users;import'= {
        }
        &'pools;help;users;restore'= {
        }
        &'pools;help;users;set-metadata'= {
        }
        &'pools;help;users;export'= {
        }
        &'pools;help;export'= {
        }
        &'pools;help;help'= {
        }
    ]
    $completions[$command]
}
