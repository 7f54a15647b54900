"""`python -m legcoach` behaves exactly like `legcoach`."""

import sys

from legcoach.cli import main

sys.exit(main())
