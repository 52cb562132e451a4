-- The contact tags of each partner an Actionstep contact becomes: every role any of its contact
-- records plays on any matter (a person with several roles gets all their tags); a contact
-- with no role at all is tagged General Contact.
with participants as (
    select
        participant_id,
        partner_xmlid
    from {{ ref('int_actionstep__participants') }}
),

roles as (
    select
        participant_id,
        tag_name,
        category_xmlid
    from {{ ref('int_actionstep__roles') }}
    where review_reason is null
),

tagged as (
    select
        participants.partner_xmlid,
        coalesce(roles.tag_name, 'General Contact') as tag_name,
        coalesce(roles.category_xmlid, {{ external_id("'partner_category'", "'general_contact'") }})
            as category_xmlid
    from participants
    left join roles
        on participants.participant_id = roles.participant_id
),

distinct_tags as (
    select distinct
        partner_xmlid,
        tag_name,
        category_xmlid
    from tagged
),

-- A partner seen both with and without a role (e.g. a duplicate contact record that is on no
-- matter) has its roles only.
with_roles as (
    select
        *,
        count(*) filter (where tag_name <> 'General Contact') over (partition by partner_xmlid)
            as role_count
    from distinct_tags
)

select
    partner_xmlid,
    tag_name,
    category_xmlid
from with_roles
where tag_name <> 'General Contact' or role_count = 0
