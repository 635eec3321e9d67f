"""faqlint: the Outlook for iOS and Android FAQ as policy for Microsoft 365 configuration repos."""

__version__ = "0.1.0"
