"""autoservice_desk: a desktop workstation for car repair shops and dealer service centres."""

__version__ = "0.1.0"
