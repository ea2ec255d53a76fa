import sys
import unittest

from emulator_server import WRAPPER_DIR

sys.path.insert(0, str(WRAPPER_DIR))
from moto_version import TESTED_MOTO, check_moto_version  # noqa: E402


class MotoVersionTest(unittest.TestCase):
    def test_the_tested_version_runs(self):
        self.assertIsNone(check_moto_version(TESTED_MOTO[-1], False))

    def test_an_untested_version_is_refused_with_what_to_do(self):
        why = check_moto_version("9.9.9", False)
        self.assertIn("moto 9.9.9 is not a version its patches were tested with", why)
        self.assertIn(f"pip install 'moto[server]=={TESTED_MOTO[-1]}'", why)
        self.assertIn("KFOOD_MOTO_UNTESTED=1", why)

    def test_an_untested_version_runs_when_asked_for(self):
        self.assertIsNone(check_moto_version("9.9.9", True))


if __name__ == "__main__":
    unittest.main()
