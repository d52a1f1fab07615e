"""Started Pythons get the test suite's Windows mode too; see hide_fcntl.py."""

import hide_fcntl

hide_fcntl.install()
