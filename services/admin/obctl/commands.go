package obctl

import "context"

type command func(c *cli, ctx context.Context, args []string) error

var commands map[string]command

func init() {
	commands = map[string]command{
		"status":    (*cli).status,
		"replay":    (*cli).replay,
		"dlq":       (*cli).dlq,
		"pause":     (*cli).pause,
		"resume":    (*cli).resume,
		"audit":     (*cli).audit,
		"topology":  (*cli).topology,
		"backfill":  (*cli).backfill,
		"reconcile": (*cli).reconcile,
		"preview":   (*cli).preview,
	}
}

const usage = `usage: obctl [global flags] <command> [flags]

commands:
  status                         streams, consumers, cursors, ledger, dead letters, pauses
  replay --stream JST_RAW|CANON --from-seq N [--to-seq M] [--subject F] [--dry-run]
         [--force] [--all-versions]
  dlq list [--stage S] [--reason R] [--kind K] [--since T] [--until T] [--limit N]
  dlq show SEQ [--reveal]
  dlq redrive [SEQ...] [filters] [--all] [--dry-run]
  dlq purge [SEQ...] [filters] [--all] [--yes]
  pause poller SHOP|all [--reason R]   pause writer FORM|all [--reason R]
  resume poller SHOP|all               resume writer FORM|all
  audit [--since T] [--action A] [--limit N]
  topology diff                  topology apply [--yes]
  backfill --kind K --shop S --from T --to T [--follow]    backfill status ID [--follow]
  reconcile --from T --to T      (or --date 2026-03-01, a Beijing day)
  preview --file F --kind K | --seq N | --key order.<o_id>

global flags (also accepted after the command):
  --addr ADDR    admin API address (OBCTL_ADDR, default 127.0.0.1:9090)
  --token T      bearer token (OBCTL_TOKEN or OBCTL_TOKEN_FILE)
  --tls, --tls-ca F, --tls-cert F, --tls-key F   TLS and client certificate (OBCTL_TLS_*)
  --as NAME      your name in the audit trail (OBCTL_ACTOR, default $USER)
  -o table|json  output
  --timeout D    bound on a short command (default 30s)

times are RFC 3339, Beijing time ("2026-03-01 08:00"), or a duration ago ("2h").
`
