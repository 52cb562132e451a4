-- One sales team per Captorra pipeline, and one for Actionstep matters (var actionstep_team).
with pipelines as (
    select distinct pipeline from {{ ref('int_captorra__stages') }}
),

final as (
    select
        {{ external_id("'captorra_team'", 'pipeline') }} as id,
        pipeline as name,
        'captorra' as _source_system,
        'pipeline' as _source_model,
        pipeline as _source_id
    from pipelines

    union all

    select
        {{ external_id("'actionstep_team'", "'matters'") }} as id,
        '{{ var("actionstep_team") }}' as name,
        'actionstep' as _source_system,
        'team' as _source_model,
        'matters' as _source_id
    where exists (select 1 from {{ ref('int_actionstep__leads') }})
)

select
    *,
    {{ row_hash() }} as _row_hash
from final
