#!/usr/bin/env bash
# Regenerates the answer-format fixtures from the real producers:
#   <name>.json            the expected tree (keys in order)
#   <name>.pN.pickle       python3 pickle.dumps(tree, protocol=N), N = 0..5 (extras: 4, 5)
#   <name>.php.txt         php serialize(json_decode(<name>.json, true))
# Needs python3 and php-cli.
set -euo pipefail
cd "$(dirname "$0")"

python3 make_fixtures.py

for name in create upload list; do
    php -r 'echo serialize(json_decode(stream_get_contents(STDIN), true, 512, JSON_THROW_ON_ERROR));' \
        < "$name.json" > "$name.php.txt"
done

ls -l
