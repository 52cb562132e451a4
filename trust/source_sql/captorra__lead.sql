-- Captorra leads straight from the export's raw Parquet: the newest version of each lead,
-- its stage by the stage map (seed) or, for a pipeline/status the seed does not list, by the
-- build's var unknown_status (create: a stage named as the status, lost / won by the words in
-- captorra_lost_words / captorra_won_words, a negated won word is lost; hold: no stage, the
-- lead is held for review); lost leads (probability 0, folded, not won) archived.
-- The phone is the person's: a lead with an email is one person with every other lead and
-- Actionstep participant of that email, and Odoo keeps one phone per person (the lead's phone
-- is its partner's), the newest non-blank one. Notes with HTML markup go in as HTML, plain
-- notes as text.
with raw as (
    select * from {raw:captorra/leads}
),

latest as (
    select
        *,
        case when nullif(lower(trim(email)), '') similar to '[^@\s]+@[^@\s]+\.[^@\s]+'
            then lower(trim(email)) end as email_key,
        regexp_matches(coalesce(notes, ''),
            '(?i)</?(a|b|blockquote|br|code|div|em|font|h[1-6]|hr|i|img|li|ol|p|pre|s|small|span|strike|strong|sub|sup|table|tbody|td|th|thead|tr|u|ul)(\s[^<>]*)?/?>|&(#[0-9]+|#x[0-9a-f]+|[a-z][a-z0-9]*);')
            as notes_are_html
    from raw
    qualify row_number() over (
        partition by trim(lead_id)
        order by {captorra_time:modified_at} desc nulls last, _run_id desc
    ) = 1
),

stage_map as (
    select * from {seed:captorra_stages}
),

participants as (
    select id as participant_id, record from {current:participants}
),

staff as (
    select distinct json_extract_string(record, '$.links.participant') as participant_id
    from {current:users}
),

firm as (
    select distinct json_extract_string(record, '$.links.division') as participant_id
    from {current:actions}
),

people as (
    select
        participants.participant_id,
        json_extract_string(record, '$.isCompany') = 'T' as is_company,
        nullif(trim(json_extract_string(record, '$.companyName')), '') as company_name,
        case when nullif(lower(trim(json_extract_string(record, '$.email'))), '')
            similar to '[^@\s]+@[^@\s]+\.[^@\s]+'
            then lower(trim(json_extract_string(record, '$.email'))) end as email_key,
        case when json_extract_string(record, '$.phone1Label') is distinct from 'Mobile' then
            nullif(trim(concat_ws(' ',
                '+' || json_extract_string(record, '$.phone1Country'),
                '(' || json_extract_string(record, '$.phone1Area') || ')',
                json_extract_string(record, '$.phone1Number'))), '')
        end as phone,
        timezone('UTC', try_cast(json_extract_string(record, '$.modifiedTimestamp') as timestamptz))
            as modified_utc
    from participants
    anti join staff on participants.participant_id = staff.participant_id
    anti join firm on participants.participant_id = firm.participant_id
),

sightings as (
    select
        email_key,
        nullif(trim(phone), '') as phone,
        timezone('UTC', timezone({var:captorra_timezone}, {captorra_time:modified_at}))
            as modified_utc,
        'captorra' as source_system,
        trim(lead_id) as source_id
    from latest
    where email_key is not null

    union all

    select email_key, phone, modified_utc, 'actionstep', cast(participant_id as varchar)
    from people
    -- a company with a name is a company partner, not a person
    where email_key is not null and not (is_company and company_name is not null)
),

person_phones as (
    select
        email_key,
        first(phone order by modified_utc desc nulls last, source_system, source_id) as phone
    from sightings
    where phone is not null
    group by email_key
),

staged as (
    select
        latest.*,
        coalesce(stage_map.stage_name,
            case when {var:unknown_status} = 'create' and nullif(trim(latest.status), '') is not null
                then trim(latest.status) end) as stage_name,
        stage_map.stage_name is null as is_inferred,
        stage_map.fold,
        stage_map.is_won,
        stage_map.probability as seed_probability,
        regexp_matches(lower(trim(latest.status)),
            '\b(' || array_to_string({var:captorra_lost_words}, '|') || ')\b')
        or regexp_matches(lower(trim(latest.status)),
            '\b(not|never)\s+(' || array_to_string({var:captorra_won_words}, '|') || ')\b')
            as has_lost_word,
        regexp_matches(lower(trim(latest.status)),
            '\b(' || array_to_string({var:captorra_won_words}, '|') || ')\b') as has_won_word
    from latest
    left join stage_map
        on trim(latest.pipeline) = stage_map.pipeline
        and trim(latest.status) = stage_map.status
)

select
    trim(staged.lead_id) as source_id,
    'legal2odoo.captorra_lead_' || regexp_replace(trim(staged.lead_id), '[^A-Za-z0-9_]', '_', 'g')
        as external_id,
    'lead' as record_type,
    cast(null as varchar) as excluded_rule,
    staged.lead_id,
    staged.matter_ref,
    nullif(trim(concat_ws(' ', trim(staged.first_name), trim(staged.last_name))), '') as contact_name,
    staged.email,
    case when staged.email_key is not null then person_phones.phone else staged.phone end as phone,
    staged.street,
    staged.city,
    staged.zip,
    staged.company,
    case when not staged.notes_are_html then staged.notes end as notes_text,
    case when staged.notes_are_html then staged.notes end as notes_html,
    staged.created_at,
    staged.modified_at,
    trim(staged.pipeline) as pipeline,
    case when staged.stage_name is not null then
        'legal2odoo.captorra_stage_' || regexp_replace(
            trim(staged.pipeline) || '_' || staged.stage_name, '[^A-Za-z0-9_]', '_', 'g')
    end as stage_xmlid,
    case
        when staged.stage_name is null then null
        when staged.is_inferred and staged.has_lost_word then 'false'
        when staged.is_inferred then 'true'
        when lower(staged.fold) = 'true' and lower(staged.is_won) = 'false'
            and cast(staged.seed_probability as double) = 0 then 'false'
        else 'true'
    end as is_active,
    case
        when staged.stage_name is null then null
        when not staged.is_inferred then staged.seed_probability
        when staged.has_lost_word then '0'
        when staged.has_won_word then '100'
        else '10'
    end as probability,
    case when lower(trim(staged.converted)) in ('yes', 'y', 'true', '1') then 'opportunity' else 'lead' end
        as lead_type
from staged
left join person_phones
    on staged.email_key = person_phones.email_key
