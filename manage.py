#!/usr/bin/env python
"""Django's command-line utility for Servicegate: the same as the `servicegate` command."""

import sys

if __name__ == "__main__":
    from servicegate.cli import main

    sys.exit(main(sys.argv[1:]))
