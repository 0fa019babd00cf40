"""Background analysis: an in-process thread pool by default, Celery workers over Redis with a broker."""
