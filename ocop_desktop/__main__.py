from ocop_desktop.cli import main

main()
