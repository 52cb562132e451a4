-- Custom data values (Actionstep data collections): one record per matter and field, and per
-- contact (partner) and participant field, where the value is not blank. They live as custom
-- fields on the matter's lead or on the contact's partner, so that record must be in Odoo
-- (several records of a multiple-record collection are one field value: its lines). Values of
-- staff (Odoo users) and of the firm itself are excluded by rule, as their contacts are.
with matter_values as (
    select
        json_extract_string(record, '$.links.action') as action_id,
        json_extract_string(record, '$.links.dataCollectionField') as field_id
    from {current:datacollectionrecordvalues}
    where nullif(trim(json_extract_string(record, '$.stringValue')), '') is not null
),

participant_values as (
    select
        json_extract_string(record, '$.links.participant') as participant_id,
        json_extract_string(record, '$.links.dataField') as field_id
    from {current:participantdatafieldvalues}
    where nullif(trim(json_extract_string(record, '$.stringValue')), '') is not null
),

participants as (
    select
        id as participant_id,
        json_extract_string(record, '$.isCompany') = 'T' as is_company,
        case when nullif(lower(trim(json_extract_string(record, '$.email'))), '')
            similar to '[^@\s]+@[^@\s]+\.[^@\s]+'
            then lower(trim(json_extract_string(record, '$.email'))) end as email,
        nullif(trim(regexp_replace(trim(regexp_replace(
            replace(replace(lower(coalesce(json_extract_string(record, '$.companyName'), '')), '.', ''),
                '&', ' and '),
            '[^a-z0-9]+', ' ', 'g')),
            '( (llc|llp|lllp|pllc|pc|pa|inc|incorporated|corp|corporation|ltd|limited|plc))+$', '', 'g')),
            '') as company_key
    from {current:participants}
),

staff as (
    select distinct json_extract_string(record, '$.links.participant') as participant_id
    from {current:users}
),

firm as (
    select distinct json_extract_string(record, '$.links.division') as participant_id
    from {current:actions}
),

contact_values as (
    select
        values.participant_id,
        values.field_id,
        participants.participant_id is null as participant_missing,
        coalesce(
            case when participants.is_company and participants.company_key is not null
                then 'legal2odoo.company_' || left(sha256(participants.company_key), 16) end,
            case when participants.email is not null
                then 'legal2odoo.partner_' || left(sha256(participants.email), 16) end,
            'legal2odoo.actionstep_participant_' || values.participant_id
        ) as external_id
    from participant_values as values
    left join participants on values.participant_id = participants.participant_id
)

select distinct
    action_id || '/' || field_id as source_id,
    'legal2odoo.actionstep_matter_' || regexp_replace(action_id, '[^A-Za-z0-9_]', '_', 'g')
        as external_id,
    'custom value' as record_type,
    cast(null as varchar) as excluded_rule
from matter_values

union all

select distinct
    contact_values.external_id || '/' || contact_values.field_id as source_id,
    contact_values.external_id,
    'contact custom value' as record_type,
    case
        when staff.participant_id is not null then 'staff: an Odoo user, not a contact'
        when firm.participant_id is not null then 'the firm itself (division)'
        when contact_values.participant_missing then 'participant not in the source'
    end as excluded_rule
from contact_values
left join staff on contact_values.participant_id = staff.participant_id
left join firm on contact_values.participant_id = firm.participant_id
