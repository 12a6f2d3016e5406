"""Print the current admin TOTP code of a demo staff account (dev and demo only)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from ...phones import InvalidPhone, normalize_phone


class Command(BaseCommand):
    help = "Print the current TOTP code of a staff user's demo device (refused in production)."

    def add_arguments(self, parser):
        parser.add_argument("phone")

    def handle(self, *args, phone, **options):
        if settings.HOKWE_ENVIRONMENT == "prod":
            raise CommandError("Refused in production: use the staff member's authenticator app.")
        try:
            e164 = normalize_phone(phone)
        except InvalidPhone:
            raise CommandError(f"Invalid phone number: {phone}")
        device = TOTPDevice.objects.filter(user__phone=e164, name="demo").first()
        if device is None:
            raise CommandError("No demo TOTP device for this phone (run manage.py seed_demo).")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        self.stdout.write(f"{totp.token():0{device.digits}d}")
