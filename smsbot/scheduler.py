"""Only the stored-job alias: APScheduler job stores written before the package restructure
hold the job as `smsbot.scheduler:expand_broadcasts`. The scheduler is
smsbot.broadcasts.scheduler; import nothing else from here."""

from smsbot.broadcasts.scheduler import expand_broadcasts

__all__ = ["expand_broadcasts"]
