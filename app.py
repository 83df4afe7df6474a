"""라벨장부: routes only. Each page is one file under views/; the logic lives in tracker/.

`guard.gate` keeps the ledger from anyone who has not signed in (TRACKER_PASSWORD) or, without a
password, from any other computer; `guard.run_page` turns an error in a page into one Korean sentence.
"""
import streamlit as st

from tracker.logs import setup_logging
from views import guard

setup_logging()
st.set_page_config(page_title="라벨장부", page_icon="📒", layout="wide")

PAGES = {
    "장부": [
        st.Page("views/dashboard.py", title="대시보드", icon="📊", default=True),
        st.Page("views/companies.py", title="회사", icon="🏢", url_path="companies"),
        st.Page("views/projects.py", title="프로젝트", icon="🗂️", url_path="projects"),
        st.Page("views/worklogs.py", title="작업 기록", icon="⏱️", url_path="worklogs"),
        st.Page("views/payments.py", title="지급", icon="💰", url_path="payments"),
        st.Page("views/receivables.py", title="받을 돈", icon="⏳", url_path="receivables"),
        st.Page("views/income.py", title="수입", icon="📈", url_path="income"),
        st.Page("views/forecast.py", title="예측", icon="🔮", url_path="forecast"),
        st.Page("views/tax.py", title="세금", icon="🧾", url_path="tax"),
        st.Page("views/radar.py", title="모집 공고", icon="📡", url_path="radar"),
        st.Page("views/sheets.py", title="가져오기·내보내기", icon="📥", url_path="sheets"),
        st.Page("views/settings.py", title="설정·백업", icon="⚙️", url_path="settings"),
    ],
}

guard.gate(PAGES)
guard.run_page(st.navigation(PAGES))
