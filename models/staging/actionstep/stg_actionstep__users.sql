-- Actionstep users (staff) with the participant that stands for them and their email key.
with source as (
    select * from {{ actionstep_current('users') }}
)

select
    cast(id as bigint) as user_id,
    {{ as_link_id('participant') }} as participant_id,
    {{ as_text('emailAddress') }} as email_as_entered,
    {{ normalise_email("record ->> 'emailAddress'") }} as email,
    {{ as_tf('isActive') }} as is_active
from source
