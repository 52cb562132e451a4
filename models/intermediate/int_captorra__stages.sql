-- Every Captorra pipeline/status with its Odoo stage: the seed captorra_stages as written,
-- then each pair the exports use that the seed does not list (var unknown_status = create,
-- the default): its own stage named as the status, after the seed's stages of that pipeline
-- in order of first appearance in the exports; won or lost from its words (vars
-- captorra_won_words / captorra_lost_words; a negated won word, "Not Retained", is lost); a
-- lost stage is folded. With unknown_status = hold they are left out, and their leads are
-- held for review (int_captorra__leads). `build` writes these rows to
-- exports/captorra_stages.proposed.csv, to copy over the seed and edit.
{%- set won = var('captorra_won_words') | join('|') %}
{%- set lost = var('captorra_lost_words') | join('|') %}
with seed as (
    select
        pipeline, status, stage_name, sequence, probability, is_won, is_lost, fold,
        false as is_inferred
    from {{ ref('captorra_stages') }}
),

seen as (
    select
        pipeline,
        status,
        min(extract_run_id || '/' || lpad(cast(source_line as varchar), 12, '0')) as first_seen
    from {{ ref('stg_captorra__leads') }}
    where pipeline <> '' and status <> ''
    group by pipeline, status
),

unseen as (
    select
        seen.*,
        regexp_matches(lower(seen.status), '\b({{ lost }})\b')
            or regexp_matches(lower(seen.status), '\b(not|never)\s+({{ won }})\b') as is_lost,
        regexp_matches(lower(seen.status), '\b({{ won }})\b') as has_won_word
    from seen
    anti join seed
        on seen.pipeline = seed.pipeline and seen.status = seed.status
    where '{{ var("unknown_status") }}' = 'create'
),

last_sequence as (
    select pipeline, max(sequence) as sequence
    from seed
    group by pipeline
),

inferred as (
    select
        unseen.pipeline,
        unseen.status,
        unseen.status as stage_name,
        cast(coalesce(last_sequence.sequence, 0)
            + row_number() over (partition by unseen.pipeline order by unseen.first_seen) as integer)
            as sequence,
        cast(case when unseen.is_lost then 0 when unseen.has_won_word then 100 else 10 end as double)
            as probability,
        unseen.has_won_word and not unseen.is_lost as is_won,
        unseen.is_lost,
        unseen.is_lost as fold,
        true as is_inferred
    from unseen
    left join last_sequence
        on unseen.pipeline = last_sequence.pipeline
)

select * from seed
union all
select * from inferred
