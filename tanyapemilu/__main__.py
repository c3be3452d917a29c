import sys

from tanyapemilu.cli import main

sys.exit(main())
