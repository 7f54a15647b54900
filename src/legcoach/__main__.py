"""`python -m legcoach` behaves exactly like `legcoach`."""

import sys

from legcoach.launch import main

sys.exit(main())
