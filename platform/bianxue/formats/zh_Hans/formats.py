"""Chinese date formats as Kaifeng's notices print them ("3月2日", not Django's "03月2日"); the rest is Django's."""

MONTH_DAY_FORMAT = "n月j日"
DATE_FORMAT = "Y年n月j日"
