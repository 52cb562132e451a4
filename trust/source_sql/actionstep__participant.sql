-- Participants on matters, one record per participant and role (participants by role); staff
-- (they are Odoo users) and the firm itself are excluded by rule. A company is keyed by its
-- normalised name, a person by normalised email, else a partner of their own.
with participants as (
    select id as participant_id, record from {current:participants}
),

roles as (
    select
        json_extract_string(record, '$.links.participant') as participant_id,
        json_extract_string(record, '$.links.participantType') as type_id
    from {current:actionparticipants}
),

types as (
    select id as type_id, json_extract_string(record, '$.name') as role
    from {current:participanttypes}
),

staff as (
    select distinct json_extract_string(record, '$.links.participant') as participant_id
    from {current:users}
),

firm as (
    select distinct json_extract_string(record, '$.links.division') as participant_id
    from {current:actions}
),

shaped as (
    select
        participant_id,
        json_extract_string(record, '$.isCompany') = 'T' as is_company,
        nullif(lower(trim(json_extract_string(record, '$.email'))), '') as email_key,
        nullif(trim(regexp_replace(trim(regexp_replace(
            replace(replace(lower(coalesce(json_extract_string(record, '$.companyName'), '')), '.', ''),
                '&', ' and '),
            '[^a-z0-9]+', ' ', 'g')),
            '( (llc|llp|lllp|pllc|pc|pa|inc|incorporated|corp|corporation|ltd|limited|plc))+$', '', 'g')),
            '') as company_key
    from participants
),

keyed as (
    select
        *,
        case when email_key similar to '[^@\s]+@[^@\s]+\.[^@\s]+' then email_key end as email
    from shaped
)

select distinct
    keyed.participant_id || '/' || coalesce(types.role, roles.type_id, 'none') as source_id,
    case
        when keyed.is_company and keyed.company_key is not null
            then 'legal2odoo.company_' || left(sha256(keyed.company_key), 16)
        when keyed.email is not null then 'legal2odoo.partner_' || left(sha256(keyed.email), 16)
        else 'legal2odoo.actionstep_participant_' || keyed.participant_id
    end as external_id,
    'participant (' || coalesce(types.role, 'no role') || ')' as record_type,
    case
        when staff.participant_id is not null then 'staff: an Odoo user, not a contact'
        when firm.participant_id is not null then 'the firm itself (division)'
    end as excluded_rule,
    case when not keyed.is_company then keyed.email end as email
from keyed
inner join roles
    on keyed.participant_id = roles.participant_id
left join types
    on roles.type_id = types.type_id
left join staff
    on keyed.participant_id = staff.participant_id
left join firm
    on keyed.participant_id = firm.participant_id
