-- One raw row per lead and file name the exports name: the newest export run wins.
with source as (
    select * from {{ source('captorra', 'attachments') }}
),

latest as (
    select *
    from source
    qualify row_number() over (partition by trim(lead_id), file_name order by _run_id desc) = 1
)

select * from latest
