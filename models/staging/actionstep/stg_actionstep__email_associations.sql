-- Which matters an email is filed on (id "email--action").
with source as (
    select * from {{ actionstep_current('emailassociations') }}
)

select
    {{ as_link_id('email') }} as email_id,
    {{ as_link_id('action') }} as action_id
from source
