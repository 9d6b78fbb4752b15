import { defineMessages } from '../define-messages.ts';

/** The Quick start page: connection details, code snippets and the common errors. */
export const quickStartMessages = defineMessages({
  en: {
    title: 'Quick start',
    intro:
      'This gateway speaks the OpenAI API. Point any OpenAI SDK or tool at the base URL below and use your Shepherd API key; everything else stays the same.',
    connectionHeading: 'Connection',
    baseUrl: 'Base URL',
    copyBaseUrl: 'Copy the base URL',
    apiKey: 'API key',
    apiKeyHint: 'Replace `{placeholder}` in the code with your key.',
    apiKeyLink: 'Create a key on the API keys page',
    apiKeyShownOnce: '(it is shown only once).',
    model: 'Model',
    modelHint: 'The code below uses this model. Prices are on the',
    modelsLink: 'Models & prices page',
    modelHintEnd: '.',
    codeHeading: 'Code',
    pythonInstall: 'Install the official SDK:',
    nodeInstall:
      'Install the official SDK, save the code as `quickstart.mjs` and run `node quickstart.mjs`:',
    curlInstall: 'From any shell; `-N` prints the stream as it arrives.',
    plainTitle: 'One answer',
    streamTitle: 'Streaming, with usage at the end',
    streamHint:
      'With `include_usage` the last chunk has no `choices` but a `usage` object: token counts, plus this gateway’s `cost`, `currency` and `balance`.',
    copySnippet: 'Copy: {language}, {title}',
    errorsHeading: 'Four common errors',
    errorsIntro:
      'Errors come in the OpenAI shape, so the SDKs raise their usual exceptions. Every response has an `x-request-id` header: quote it when you ask for help.',
    errorMeaning: 'What it means',
    errorFix: 'What to do',
    error401Meaning:
      'The key is missing, wrong or revoked, or it was not sent as `Authorization: Bearer <key>`.',
    error401Fix:
      'Copy the whole key (it starts with `sk-shep-`) and check that the base URL ends in `/v1`. The SDKs send the header for you from `api_key`. If the key was revoked, create a new one on the API keys page. An expired key gets `403 api_key_expired` instead, with its expiry date.',
    error402Meaning:
      'Your available balance cannot cover this request’s worst case. Before calling the model the gateway holds the estimated prompt plus `max_tokens` of output (a default limit when you set none) at list price, and releases what was not used right after.',
    error402Fix:
      'Top up or redeem a voucher on the Credits page, and set `max_tokens` to what you really need so that less is held. The message says your balance and the amount needed.',
    error404Meaning:
      'The model name is not in this gateway’s catalogue. The message suggests the closest names.',
    error404Fix: 'Use a model id or alias exactly as listed on the Models & prices page.',
    error429Meaning:
      'The provider rate-limited the request. The gateway has already retried and tried fallback models before answering this.',
    error429Fix:
      'Wait for the number of seconds in the `Retry-After` header, then retry with exponential backoff. The official SDKs do this for you (`max_retries`).',
    creditsLink: 'Credits',
    keysLink: 'API keys',
    modelsPageLink: 'Models & prices',
    seeAlso: 'Go to:',
  },
  ko: {
    title: '빠른 시작',
    intro:
      '이 게이트웨이는 OpenAI API와 호환됩니다. 사용하던 OpenAI SDK나 도구의 base URL을 아래 주소로 바꾸고 Shepherd API 키를 넣으면 나머지는 그대로 쓸 수 있습니다.',
    connectionHeading: '연결 정보',
    baseUrl: 'Base URL',
    copyBaseUrl: 'Base URL 복사',
    apiKey: 'API 키',
    apiKeyHint: '코드의 `{placeholder}` 자리에 본인의 키를 넣으세요.',
    apiKeyLink: 'API 키 페이지에서 키를 만드세요',
    apiKeyShownOnce: '(키는 만들 때 한 번만 표시됩니다).',
    model: '모델',
    modelHint: '아래 코드는 이 모델을 사용합니다. 가격은 다음 페이지에서 확인하세요:',
    modelsLink: '모델 및 가격',
    modelHintEnd: '',
    codeHeading: '예제 코드',
    pythonInstall: '공식 SDK를 설치하세요:',
    nodeInstall:
      '공식 SDK를 설치하고, 코드를 `quickstart.mjs`로 저장한 뒤 `node quickstart.mjs`로 실행하세요:',
    curlInstall:
      '어느 셸에서나 실행할 수 있습니다. `-N` 옵션을 쓰면 스트림이 도착하는 대로 출력됩니다.',
    plainTitle: '한 번에 응답 받기',
    streamTitle: '스트리밍과 마지막 사용량',
    streamHint:
      '`include_usage`를 켜면 마지막 청크에는 `choices` 대신 `usage`가 담깁니다. 토큰 수와 함께 이 게이트웨이가 계산한 비용(`cost`), 통화(`currency`), 잔액(`balance`)이 들어 있습니다.',
    copySnippet: '복사: {language}, {title}',
    errorsHeading: '자주 보는 오류 네 가지',
    errorsIntro:
      '오류는 OpenAI 형식으로 오므로 SDK가 평소와 같은 예외를 발생시킵니다. 모든 응답에는 `x-request-id` 헤더가 있으니 문의할 때 함께 알려 주세요.',
    errorMeaning: '의미',
    errorFix: '해결 방법',
    error401Meaning:
      '키가 없거나 틀렸거나 폐기되었습니다. 또는 `Authorization: Bearer <키>` 형식으로 보내지 않았습니다.',
    error401Fix:
      '`sk-shep-`로 시작하는 키 전체를 복사했는지, base URL이 `/v1`로 끝나는지 확인하세요. SDK는 `api_key` 값으로 헤더를 알아서 보냅니다. 폐기된 키라면 API 키 페이지에서 새로 만드세요. 만료된 키는 대신 `403 api_key_expired`와 만료 시각을 받습니다.',
    error402Meaning:
      '사용 가능한 잔액으로 이 요청의 최대 비용을 감당할 수 없습니다. 게이트웨이는 모델을 호출하기 전에 예상 프롬프트와 `max_tokens`만큼의 출력(지정하지 않으면 기본 한도)을 공시 가격으로 미리 잡아 두고, 쓰지 않은 금액은 호출이 끝나면 바로 돌려놓습니다.',
    error402Fix:
      '크레딧 페이지에서 충전하거나 바우처를 등록하세요. `max_tokens`를 실제로 필요한 만큼만 지정하면 미리 잡아 두는 금액도 줄어듭니다. 오류 메시지에 현재 잔액과 필요한 금액이 나옵니다.',
    error404Meaning:
      '이 게이트웨이의 모델 목록에 없는 이름입니다. 오류 메시지가 가장 비슷한 이름을 알려 줍니다.',
    error404Fix: '모델 및 가격 페이지에 나온 모델 ID나 별칭을 그대로 쓰세요.',
    error429Meaning:
      '제공사가 요청 속도를 제한했습니다. 게이트웨이는 이 응답을 보내기 전에 이미 재시도하고 대체 모델도 시도했습니다.',
    error429Fix:
      '`Retry-After` 헤더에 적힌 초만큼 기다린 뒤, 간격을 점점 늘려 가며 다시 시도하세요. 공식 SDK는 이를 자동으로 처리합니다(`max_retries`).',
    creditsLink: '크레딧',
    keysLink: 'API 키',
    modelsPageLink: '모델 및 가격',
    seeAlso: '바로 가기:',
  },
});
