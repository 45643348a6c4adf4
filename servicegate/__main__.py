"""`python -m servicegate` is the `servicegate` command."""

from servicegate.cli import main

raise SystemExit(main())
