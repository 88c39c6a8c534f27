"""A real SMTP server's handler for Pantau's tests (issue 16), run by aiosmtpd:

    PYTHONPATH=tests/smtp python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c capture.Capture FOLDER

Every accepted message is written to FOLDER as NNNN.eml (the envelope's recipient on the first line, then the
message as received). A recipient whose address starts with "tolak" is refused for good (550), one starting with
"sibuk" for now (451): what a real server answers for a wrong address and a full mailbox. CAPTURE_DELAY_MS makes
each message take that long to accept, as a distant server would (bench/durability kills Pantau while it sends).
"""

import asyncio
import itertools
import os

DELAY = int(os.environ.get("CAPTURE_DELAY_MS", "0")) / 1000


class Capture:
    def __init__(self, folder: str) -> None:
        self.folder = folder
        os.makedirs(folder, exist_ok=True)
        self.numbers = itertools.count(len(os.listdir(folder)) + 1)

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("Capture takes one argument: the folder to write messages to")
        return cls(args[0])

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0].lower()
        if local.startswith("tolak"):
            return "550 5.1.1 No such mailbox"
        if local.startswith("sibuk"):
            return "451 4.2.2 Mailbox full, try later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if DELAY:
            await asyncio.sleep(DELAY)
        number = next(self.numbers)
        path = os.path.join(self.folder, f"{number:04d}.eml")
        temporary = path + ".part"
        with open(temporary, "wb") as f:
            f.write((",".join(envelope.rcpt_tos) + "\n").encode())
            f.write(envelope.original_content or envelope.content)
        os.rename(temporary, path)
        return "250 Message accepted for delivery"
