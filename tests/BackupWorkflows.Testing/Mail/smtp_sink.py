"""A real SMTP server for tests (aiosmtpd, Debian's python3-aiosmtpd): records every accepted message as JSON.

Usage: smtp_sink.py --port PORT --dir DIR [--login USER:PASSWORD ...] [--rcpt-reply "550 5.1.1 ..."]
       [--starttls CERT KEY | --implicit-tls CERT KEY]
With --login, AUTH PLAIN/LOGIN checks the pair (535 otherwise) and a transaction without a login is refused (530);
AUTH is offered without TLS so the tests need no certificate. --rcpt-reply answers every RCPT with that reply.
--starttls offers STARTTLS with that certificate (PEM files); --implicit-tls speaks TLS from the first byte (SMTPS).
Each accepted message is DIR/NNNN.json; DIR/commands.log has one line per AUTH, MAIL and RCPT. Prints "ready".
"""
import argparse
import json
import os
import signal
import ssl
import threading
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--dir", required=True)
parser.add_argument("--login", action="append", default=[])
parser.add_argument("--rcpt-reply")
tls = parser.add_mutually_exclusive_group()
tls.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
tls.add_argument("--implicit-tls", nargs=2, metavar=("CERT", "KEY"))
args = parser.parse_args()
logins = dict(pair.split(":", 1) for pair in args.login)
lock = threading.Lock()
count = 0


def record(line):
    with lock, open(os.path.join(args.dir, "commands.log"), "a", encoding="utf-8") as log:
        log.write(line + "\n")


def authenticator(server, session, envelope, mechanism, auth_data):
    if not isinstance(auth_data, LoginPassword):
        return AuthResult(success=False, handled=False)
    user, password = auth_data.login.decode(), auth_data.password.decode()
    accepted = user in logins and logins[user] == password
    record(f"AUTH {mechanism} {user} {'accepted' if accepted else 'refused'}")
    return AuthResult(success=accepted, handled=False, auth_data=user if accepted else None)


class Sink:
    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        record(f"MAIL {address}")
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 2.1.0 Ok"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if args.rcpt_reply:
            record(f"RCPT {address} {args.rcpt_reply}")
            return args.rcpt_reply
        record(f"RCPT {address}")
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server, session, envelope):
        global count
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        text = message.get_body(("plain",))
        secured = server.transport.get_extra_info("ssl_object")
        with lock:
            count += 1
            number = count
        document = {
            "mailFrom": envelope.mail_from,
            "rcptTos": envelope.rcpt_tos,
            "login": session.auth_data if session.authenticated else None,
            "tls": secured.version() if secured is not None else None,
            "from": str(message["From"]),
            "to": str(message["To"]),
            "subject": str(message["Subject"]),
            "body": text.get_content().replace("\r\n", "\n") if text is not None else None,
            "raw": envelope.original_content.decode("utf-8", "replace"),
        }
        path = os.path.join(args.dir, f"{number:04d}.json")
        with open(path + ".tmp", "w", encoding="utf-8") as out:
            json.dump(document, out)
        os.rename(path + ".tmp", path)  # a reader sees whole files only
        return f"250 2.0.0 Ok: queued as {number:04d}"


def context(cert_and_key):
    if not cert_and_key:
        return None
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(*cert_and_key)
    return server_context


controller = Controller(Sink(), hostname="127.0.0.1", port=args.port, server_hostname="smtp-sink.test",
                        ssl_context=context(args.implicit_tls), tls_context=context(args.starttls),
                        authenticator=authenticator, auth_require_tls=False, auth_required=bool(logins))
controller.start()
print("ready", flush=True)
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
signal.signal(signal.SIGINT, lambda *_: stop.set())
stop.wait()
controller.stop()
