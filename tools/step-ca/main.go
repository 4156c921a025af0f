// Minimal step-ca server main for tests, built offline from Debian's
// golang-github-smallstep-certificates-dev sources (see build.sh).
// Usage: step-ca <ca.json> [--password-file <file>] [--quiet]
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/smallstep/certificates/commands"
	"github.com/urfave/cli"
)

func main() {
	app := cli.NewApp()
	app.Name = "step-ca"
	app.HideVersion = true
	app.Flags = append(commands.AppCommand.Flags, cli.HelpFlag)
	// urfave/cli v1 stops parsing app flags at the first positional argument, so
	// `step-ca ca.json --password-file f` only works when run as a command (commands reorder flags).
	app.Action = func(*cli.Context) error {
		set := flag.NewFlagSet(app.Name, flag.ContinueOnError)
		_ = set.Parse(os.Args)
		return commands.AppCommand.Run(cli.NewContext(app, set, nil))
	}
	if err := app.Run(os.Args); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
