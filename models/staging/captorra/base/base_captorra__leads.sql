-- One raw row per Captorra lead, every column as exported (custom intake columns included): the
-- latest version across every export run (a delta export repeats changed leads; the newest
-- modification wins, the newest run breaks ties). lead_id and modified_at are required fields:
-- extract refuses an export without them.
with source as (
    select * from {{ source('captorra', 'leads') }}
),

latest as (
    select *
    from source
    qualify row_number() over (
            partition by trim(lead_id)
            order by {{ captorra_timestamp('modified_at') }} desc nulls last, _run_id desc
        ) = 1
)

select * from latest
