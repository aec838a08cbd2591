"""Entry point: `python -m bench.national [--sizes small,medium,large]`."""

import sys

from bench.national.run import main

sys.exit(main())
