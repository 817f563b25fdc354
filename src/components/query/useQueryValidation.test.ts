import { unmask, variablePlaceholders } from './useQueryValidation';

describe('variablePlaceholders and unmask', () => {
  it('puts the variables back in what the validator rendered from the masked text', () => {
    // maskVariables gives $ips '"xx"', and ${user} inside quotes 'xxxxxxx'.
    const query = 'security_context.ja4:$ips AND user_name:"${user}"';
    const placeholders = variablePlaceholders(query);
    expect(placeholders).toEqual([
      ['xxxxxxx', '${user}'],
      ['"xx"', '$ips'],
    ]);
    expect(unmask('user_name:"xxxxxxx"', placeholders)).toBe('user_name:"${user}"');
    expect(unmask('security_context.ja4:"xx"', placeholders)).toBe('security_context.ja4:$ips');
  });

  it('leaves open range bounds and text without variables alone', () => {
    const placeholders = variablePlaceholders('details.response.statusCode:[$low TO 499]');
    expect(placeholders).toEqual([]);
    expect(unmask('details.response.statusCode:[* TO 499]', placeholders)).toBe(
      'details.response.statusCode:[* TO 499]'
    );
    expect(variablePlaceholders('type:sapi AND details.request.method:DELETE')).toEqual([]);
  });
});
