"""kabar: scraped news articles in, dated stories out."""

__version__ = "0.1.0"
