select n, {{ scaled('n') }} as scaled
from (values (1), (2), (3)) as t(n)
