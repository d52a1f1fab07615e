"""skorasn: rekap nilai pelatihan AI ASN dan aturan kelulusan per tahap."""

__version__ = "0.1.0"
