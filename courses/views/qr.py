"""The QR codes of the attendance pages (a session's code for the class, a learner's personal code)."""

import base64
import io

import qrcode
import qrcode.image.svg


def qr_svg(data: str) -> str:
    """An SVG data URL of a QR code of ``data``."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    out = io.BytesIO()
    image.save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()
