import { defineMessages } from '../define-messages.ts';

/** Admin → Upstreams: each deployment's circuit breaker, refreshed live. */
export const adminUpstreamsMessages = defineMessages({
  en: {
    title: 'Upstream health',
    intro:
      'Every provider deployment the gateway routes to, with its circuit breaker. Refreshes every {seconds} seconds.',
    updatedAt: 'Updated {time}',
    summary:
      '{total} deployments: {closed} closed, {open} open, {halfOpen} half-open, {disabled} disabled',
    noDeployments: 'No upstream deployment is configured.',
    columnDeployment: 'Deployment',
    columnModels: 'Serves models',
    columnState: 'Circuit',
    columnFailures: 'Failures in a row',
    columnFailureRate: 'Recent failure rate',
    columnNext: 'Next probe',
    columnLastError: 'Last error',
    columnChanged: 'State since',
    stateClosed: 'Closed',
    stateOpen: 'Open',
    stateHalfOpen: 'Half-open',
    stateDisabled: 'Disabled',
    failureRate: '{rate} of {attempts}',
    noAttempts: 'No attempts',
    nextProbe: 'Next probe {time}',
    coolingUntil: 'Cooling down until {time}',
    legendTitle: 'What the states mean',
    legendClosed: 'Closed: healthy, requests flow normally.',
    legendOpen: 'Open: too many failures; requests skip this deployment until the next probe.',
    legendHalfOpen: 'Half-open: one probe request is testing whether it recovered.',
    legendDisabled:
      'Disabled: the provider refused the credentials (401/402); out until a probe succeeds or an operator resets it.',
  },
  ko: {
    title: '업스트림 상태',
    intro:
      '게이트웨이가 요청을 보내는 모든 프로바이더 배포와 서킷 브레이커 상태입니다. {seconds}초마다 새로고침됩니다.',
    updatedAt: '{time} 갱신',
    summary:
      '배포 {total}개: 닫힘 {closed}개, 열림 {open}개, 반열림 {halfOpen}개, 비활성 {disabled}개',
    noDeployments: '설정된 업스트림 배포가 없습니다.',
    columnDeployment: '배포',
    columnModels: '제공 모델',
    columnState: '서킷',
    columnFailures: '연속 실패',
    columnFailureRate: '최근 실패율',
    columnNext: '다음 점검',
    columnLastError: '마지막 오류',
    columnChanged: '상태 변경',
    stateClosed: '닫힘',
    stateOpen: '열림',
    stateHalfOpen: '반열림',
    stateDisabled: '비활성',
    failureRate: '{attempts}회 중 {rate}',
    noAttempts: '시도 없음',
    nextProbe: '{time}에 다음 점검',
    coolingUntil: '{time}까지 대기',
    legendTitle: '상태 설명',
    legendClosed: '닫힘: 정상입니다. 요청이 평소대로 전달됩니다.',
    legendOpen: '열림: 실패가 많아 다음 점검 전까지 이 배포를 건너뜁니다.',
    legendHalfOpen: '반열림: 점검 요청 하나로 복구되었는지 확인하고 있습니다.',
    legendDisabled:
      '비활성: 프로바이더가 인증 정보를 거부했습니다(401/402). 점검이 성공하거나 운영자가 초기화할 때까지 제외됩니다.',
  },
});
