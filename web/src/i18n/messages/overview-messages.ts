import { defineMessages } from '../define-messages.ts';

export const overviewMessages = defineMessages({
  en: {
    title: 'Overview',
    available: 'Available balance',
    held: 'Held for requests in flight',
    bonusCredited: 'Welcome! Your signup bonus of {amount} has been credited.',
    spentToday: 'Spent today (UTC)',
    liveHint: 'Updates every few seconds.',
    updatedAt: 'Updated {time}',
    nextSteps: 'Next steps',
    stepKey: 'Create an API key',
    stepQuickStart: 'Send your first request',
    stepCredits: 'Top up with a voucher',
    stepModels: 'Compare models and prices',
  },
  ko: {
    title: '개요',
    available: '사용 가능 잔액',
    held: '처리 중인 요청에 예약된 금액',
    bonusCredited: '환영합니다! 가입 보너스 {amount}이(가) 지급되었습니다.',
    spentToday: '오늘 사용 금액 (UTC)',
    liveHint: '몇 초마다 갱신됩니다.',
    updatedAt: '{time} 갱신',
    nextSteps: '다음 단계',
    stepKey: 'API 키 만들기',
    stepQuickStart: '첫 요청 보내기',
    stepCredits: '바우처로 충전하기',
    stepModels: '모델과 가격 비교하기',
  },
});
