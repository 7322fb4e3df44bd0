from followup_cli.cli.app import main

main()
