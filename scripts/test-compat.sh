#!/usr/bin/env bash
# npm run test:compat: the compatibility corner (Node 22, Flink 1.20, Kafka 3.9); see scripts/test.sh.
FJC_CORNER=compat exec bash "$(dirname "${BASH_SOURCE[0]}")/test.sh" "$@"
