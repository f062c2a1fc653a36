from haumai.cli import main

main()
