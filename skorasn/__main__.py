from skorasn.cli import main

main()
