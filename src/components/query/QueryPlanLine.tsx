import React from 'react';

import { Text } from '@grafana/ui';

import { QueryEditorSelectors } from '../../selectors';
import { QueryPlan } from './useQueryValidation';

const s = QueryEditorSelectors.plan;

/**
 * "Auth0 searches: type:sapi · The plugin filters: details.request.path:"/x" · <cost>": said
 * before the query runs, for a query with conditions Auth0 cannot search, since those cost a
 * fetch of every event the searched part selects when the tenant log store does not hold the range.
 */
export function QueryPlanLine({ plan }: { plan: QueryPlan }) {
  return (
    <div data-testid={s.testId}>
      <Text variant="bodySmall" color="secondary">
        {s.searched}: <code>{plan.searched || s.everyEvent}</code> · {s.filtered}: <code>{plan.filtered}</code>
        {plan.cost && ` · ${plan.cost}`}
      </Text>
    </div>
  );
}
