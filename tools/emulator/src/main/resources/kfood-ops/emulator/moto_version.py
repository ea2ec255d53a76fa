"""The moto versions these patches were tested with. They reach into moto's internals (and botocore's
serializers): a moto they were not tested with could break them silently, so it is refused, with
what to do, unless asked for (KFOOD_MOTO_UNTESTED=1)."""

TESTED_MOTO = ("5.2.1",)


def check_moto_version(version, allow_untested):
    """None when this moto may run under the patches, else why not and what to do."""
    if version in TESTED_MOTO or allow_untested:
        return None
    return (f"kfood-ops emulator: moto {version} is not a version its patches were tested with "
            f"({', '.join(TESTED_MOTO)}): pip install 'moto[server]=={TESTED_MOTO[-1]}', "
            "or set KFOOD_MOTO_UNTESTED=1 to try this one anyway")
