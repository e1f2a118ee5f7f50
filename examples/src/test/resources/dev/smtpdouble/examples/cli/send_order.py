"""Sends an order confirmation with smtplib: the code under test of PythonSmtplibExampleTest.

usage: send_order.py HOST PORT [--starttls CAFILE] [--login USER PASSWORD] [--retry-refused]
"""
import smtplib
import ssl
import sys
from email.message import EmailMessage


def main(argv):
    host, port = argv[1], int(argv[2])
    options = argv[3:]
    message = EmailMessage()
    message["From"] = "shop@example.test"
    message["To"] = "alice@example.test"
    message["Subject"] = "Order 1001 confirmed"
    message.set_content("Hello Alice,\nyour order 1001 is on its way.\n")

    attempts = 2 if "--retry-refused" in options else 1
    for attempt in range(1, attempts + 1):
        with smtplib.SMTP(host, port, timeout=5) as smtp:
            if "--starttls" in options:
                cafile = options[options.index("--starttls") + 1]
                smtp.starttls(context=ssl.create_default_context(cafile=cafile))
            if "--login" in options:
                at = options.index("--login")
                smtp.login(options[at + 1], options[at + 2])
            try:
                smtp.send_message(message)
                print("sent on attempt %d" % attempt)
                return 0
            except smtplib.SMTPRecipientsRefused as refused:
                for recipient, (code, text) in refused.recipients.items():
                    print("attempt %d: %s refused: %d %s" % (attempt, recipient, code, text.decode()))
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
