-- One raw row per Captorra activity, as exported: the newest export run wins. activity_id is a
-- required field: extract refuses an export without it.
with source as (
    select * from {{ source('captorra', 'activities') }}
),

latest as (
    select *
    from source
    qualify row_number() over (partition by trim(activity_id) order by _run_id desc) = 1
)

select * from latest
