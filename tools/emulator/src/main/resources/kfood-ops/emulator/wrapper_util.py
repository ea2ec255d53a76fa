"""What more than one patch needs."""
import datetime


def as_datetime(value):
    """A time as moto or the request gives it (naive means UTC), aware in UTC; None stays None."""
    if value is None:
        return None
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)
