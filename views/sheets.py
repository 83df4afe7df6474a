"""가져오기·내보내기: bring in the spreadsheet a labeler already keeps, and take everything out."""
import streamlit as st

st.title("가져오기·내보내기")
st.info("준비 중입니다.")
