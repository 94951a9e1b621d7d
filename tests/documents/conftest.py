import pytest

KEY_A = "00112233445566778899aabbccddeeff"
KEY_B = "f0e1d2c3b4a5968778695a4b3c2d1e0f"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def master_key(settings):
    """A known current master key (and no old ones)."""
    settings.BANGBAN_FILE_MASTER_KEY = KEY_A
    settings.BANGBAN_FILE_OLD_MASTER_KEYS = []
    return KEY_A
