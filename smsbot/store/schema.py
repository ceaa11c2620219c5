"""Every table smsbot keeps: importing this registers each domain's tables on
SQLModel.metadata (migrations, create_all and the schema test need all of them)."""

from sqlmodel import SQLModel

from smsbot.broadcasts import models as broadcasts  # noqa: F401
from smsbot.catalog import models as catalog  # noqa: F401
from smsbot.contacts import models as contacts  # noqa: F401
from smsbot.crm import models as crm  # noqa: F401
from smsbot.messages import models as messages  # noqa: F401
from smsbot.orders import models as orders  # noqa: F401
from smsbot.search import models as search  # noqa: F401
from smsbot.sms import models as sms  # noqa: F401
from smsbot.store import models as store  # noqa: F401

metadata = SQLModel.metadata
